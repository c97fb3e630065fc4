import { graphql } from '../../gql';

export const MessageFields = graphql(`
  fragment MessageFields on Message {
    id
    seq
    body
    authorKind
    createdAt
    clientMessageId
    agent { id name }
  }
`);

export const ConversationQuery = graphql(`
  query Conversation($id: ID!) {
    node(id: $id) {
      __typename
      ... on Conversation {
        id
        status
        lastSeq
        agentReadSeq
        visitorReadSeq
        createdAt
        assignee { id name }
        visitor { id name email online }
      }
    }
    viewer {
      account {
        id
        agents(first: 100) {
          edges { node { id name status removedAt invitePending } }
        }
      }
    }
  }
`);

export const MessagesPageQuery = graphql(`
  query MessagesPage($id: ID!, $last: Int!, $before: String) {
    node(id: $id) {
      __typename
      ... on Conversation {
        id
        messages(last: $last, before: $before) {
          edges { cursor node { ...MessageFields } }
          pageInfo { hasPreviousPage startCursor endCursor }
        }
      }
    }
  }
`);

export const ConversationEventsSubscription = graphql(`
  subscription ConversationEvents($conversationId: ID!, $after: String) {
    conversationEvents(conversationId: $conversationId, after: $after) {
      __typename
      ... on MessageAdded {
        cursor
        message { ...MessageFields }
      }
      ... on TypingChanged {
        authorKind
        isTyping
        agent { id name }
      }
      ... on MessagesRead {
        authorKind
        seq
        messageId
      }
      ... on ConversationUpdated {
        conversation { id status assignee { id name } }
      }
    }
  }
`);

export const SendMessageMutation = graphql(`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      message { ...MessageFields }
      conversation { id lastSeq lastActivityAt }
    }
  }
`);

export const SetTypingMutation = graphql(`
  mutation SetTyping($input: SetTypingInput!) {
    setTyping(input: $input)
  }
`);

export const MarkReadMutation = graphql(`
  mutation MarkRead($input: MarkReadInput!) {
    markRead(input: $input)
  }
`);

export const AssignConversationMutation = graphql(`
  mutation AssignConversation($input: AssignConversationInput!) {
    assignConversation(input: $input) { id assignee { id name } }
  }
`);

export const SetConversationStatusMutation = graphql(`
  mutation SetConversationStatus($input: SetConversationStatusInput!) {
    setConversationStatus(input: $input) { id status }
  }
`);
