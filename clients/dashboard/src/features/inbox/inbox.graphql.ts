import { graphql } from '../../gql';

export const InboxQuery = graphql(`
  query Inbox($status: ConversationStatus, $assignment: ConversationAssignment, $first: Int!) {
    viewer {
      account {
        id
        conversations(first: $first, status: $status, assignment: $assignment) {
          edges {
            cursor
            node {
              id
              status
              lastActivityAt
              unreadCount
              visitor { id name email online }
              assignee { id name }
              lastMessage { id body authorKind createdAt }
            }
          }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`);
