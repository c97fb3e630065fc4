/** What a widget or dashboard socket follows in the benchmarks: a conversation, as the clients select it. */
export const followConversation = `subscription Follow($conversationId: ID!) {
  conversationEvents(conversationId: $conversationId) {
    __typename
    ... on MessageAdded { cursor message { id seq body authorKind createdAt clientMessageId agent { id name } } }
    ... on TypingChanged { authorKind isTyping agent { id name } }
    ... on MessagesRead { authorKind seq }
  }
}`;
