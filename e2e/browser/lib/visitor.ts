import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { baseUrl, gql } from './api.js';
import { EventStream } from './events.js';

/** What the visitor's subscription to its conversation receives (the fields the widget selects). */
export type ConversationEvent =
  | { __typename: 'MessageAdded'; cursor: string; message: { id: string; seq: number; body: string; authorKind: string; clientMessageId: string | null } }
  | { __typename: 'TypingChanged'; authorKind: string; isTyping: boolean; agent: { id: string; name: string } | null }
  | { __typename: 'MessagesRead'; authorKind: string; seq: number; messageId: string }
  | { __typename: 'ConversationUpdated'; conversation: { id: string; status: string; assignee: { id: string; name: string } | null } };

const conversationEvents = `subscription Follow($conversationId: ID!, $after: String) {
  conversationEvents(conversationId: $conversationId, after: $after) {
    __typename
    ... on MessageAdded { cursor message { id seq body authorKind clientMessageId } }
    ... on TypingChanged { authorKind isTyping agent { id name } }
    ... on MessagesRead { authorKind seq messageId }
    ... on ConversationUpdated { conversation { id status assignee { id name } } }
  }
}`;

type SentMessage = { id: string; seq: number; body: string };

/**
 * A website visitor, driven through the public API the way the widget will: HTTP for
 * mutations, a graphql-ws socket (Node's `ws`) for its conversation's events.
 */
export class Visitor {
  private socket: Client | null = null;
  conversationId: string | null = null;

  private constructor(readonly token: string) {}

  static async start(widgetKey: string, page = { url: 'https://shop.example/pricing', title: 'Pricing' }): Promise<Visitor> {
    const data = await gql<{ startVisitorSession: { visitorToken: string } }>(
      `mutation Start($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { visitorToken visitor { id } } }`,
      { input: { widgetKey, pageUrl: page.url, pageTitle: page.title } },
    );
    return new Visitor(data.startVisitorSession.visitorToken);
  }

  async identify(name: string, email: string) {
    await gql(`mutation Identify($input: UpdateVisitorInput!) { updateVisitor(input: $input) { id name email } }`, { input: { name, email } }, this.token);
  }

  /** Sends a message; the first one (without a conversation yet) starts the conversation. */
  async send(body: string, clientMessageId = crypto.randomUUID()): Promise<SentMessage> {
    const data = await gql<{ sendMessage: { message: SentMessage; conversation: { id: string } } }>(
      `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { message { id seq body } conversation { id } } }`,
      { input: { body, clientMessageId, ...(this.conversationId ? { conversationId: this.conversationId } : {}) } },
      this.token,
    );
    this.conversationId = data.sendMessage.conversation.id;
    return data.sendMessage.message;
  }

  async setTyping(isTyping: boolean) {
    await gql(`mutation Typing($input: SetTypingInput!) { setTyping(input: $input) }`, { input: { conversationId: this.requireConversation(), isTyping } }, this.token);
  }

  async markRead(messageId: string) {
    await gql(`mutation Read($input: MarkReadInput!) { markRead(input: $input) }`, { input: { conversationId: this.requireConversation(), messageId } }, this.token);
  }

  /**
   * Follows the conversation's events over a socket. It resumes after the newest message the
   * server has, so nothing sent from now on can slip between the query and the subscription.
   */
  async follow(): Promise<EventStream<ConversationEvent>> {
    const conversationId = this.requireConversation();
    const page = await gql<{ node: { messages: { pageInfo: { endCursor: string | null } } } | null }>(
      `query Last($id: ID!) { node(id: $id) { ... on Conversation { messages(last: 1) { pageInfo { endCursor } } } } }`,
      { id: conversationId },
      this.token,
    );
    const after = page.node?.messages.pageInfo.endCursor ?? null;
    const stream = new EventStream<ConversationEvent>('the visitor subscription');
    const url = baseUrl().replace(/^http/, 'ws') + '/graphql';
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    this.socket = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${this.token}` },
      on: { connected: () => connected() },
    });
    this.socket.subscribe<{ conversationEvents: ConversationEvent }>(
      { query: conversationEvents, variables: { conversationId, after } },
      {
        next: (result) => {
          if (result.errors?.length) stream.fail(new Error(JSON.stringify(result.errors)));
          else if (result.data) stream.push(result.data.conversationEvents);
        },
        error: (error) => stream.fail(error),
        complete: () => stream.fail(new Error('the subscription completed')),
      },
    );
    await ready;
    return stream;
  }

  async close() {
    await this.socket?.dispose();
    this.socket = null;
  }

  private requireConversation(): string {
    if (!this.conversationId) throw new Error('the visitor has not started a conversation yet');
    return this.conversationId;
  }
}
