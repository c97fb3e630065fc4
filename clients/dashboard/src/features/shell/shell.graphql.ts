import { graphql } from '../../gql';

export const ShellQuery = graphql(`
  query Shell {
    viewer {
      kind
      agent { id name email role status jobTitle motto }
      account { id name widgetKey }
    }
  }
`);

export const SetPresenceMutation = graphql(`
  mutation SetPresence($status: PresenceStatus!) {
    setPresence(status: $status) { id status }
  }
`);

export const AccountEventsSubscription = graphql(`
  subscription AccountEvents {
    accountEvents {
      __typename
      ... on ConversationStarted {
        conversation { id status visitor { id name } }
      }
      ... on MessageAdded {
        cursor
        message { id seq body authorKind createdAt conversation { id } }
      }
      ... on ConversationUpdated {
        conversation { id status assignee { id name } }
      }
      ... on VisitorUpdated {
        visitor { id name email online lastSeenAt }
      }
      ... on AgentUpdated {
        agent { id name status role jobTitle motto }
      }
    }
  }
`);

export const UnreadQuery = graphql(`
  query Unread {
    viewer {
      account {
        id
        conversations(first: 100, status: OPEN) {
          edges { node { id unreadCount } }
        }
      }
    }
  }
`);
