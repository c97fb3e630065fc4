import type { Connection, ConnectionEvents, Variables } from '../src/connection.js';
import { RequestError, type GraphQLErrorLike } from '../src/errors.js';
import type { ConversationEvent, Message, WidgetSettings } from '../src/types.js';

type Sub = { id: string; after: string | null; next: (data: unknown) => void; error: (e: unknown) => void; active: boolean };
type Conversation = { id: string; status: 'OPEN' | 'CLOSED'; messages: Message[]; agentReadSeq: number; visitorReadSeq: number };
type Call = { op: string; variables: Variables; token: string | null };

const cursor = (seq: number) => `c${seq}`;
const seqOf = (c: string | null) => (c ? Number(c.slice(1)) : 0);

/**
 * The API as the widget sees it through its Connection, in memory: a socket that can be
 * dropped and restored, requests that wait while it is down (as graphql-ws's retrying does),
 * conversationEvents with replay after a cursor, and sendMessage deduplicating by clientMessageId.
 */
export class FakeServer {
  url = '';
  events!: ConnectionEvents;
  token: () => string | null = () => null;
  up = false;
  /** The token the current socket was opened with. */
  socketToken: string | null = null;
  restarts = 0;
  disposed = false;
  calls: Call[] = [];
  subs: Sub[] = [];
  private waiting: (() => void)[] = [];
  /** Answers an operation with this error instead. */
  failures: Record<string, GraphQLErrorLike> = {};
  /** Requests of these operations never answer (lost in a dying socket). */
  hang = new Set<string>();

  validTokens = new Set<string>();
  private tokens = 0;
  visitor = { id: 'V1', name: null as string | null, email: null as string | null };
  widget: WidgetSettings = { color: '#123456', position: 'BOTTOM_RIGHT', greeting: 'Hello! How can we help?', language: 'EN', preChatFields: [] };
  agentsOnline = true;
  conversations: Conversation[] = [];
  private ids = 0;
  agent = { id: 'A1', name: 'Alice', jobTitle: 'Support', motto: 'Here to help' };

  connect = (url: string, token: () => string | null, events: ConnectionEvents): Connection => {
    this.url = url;
    this.token = token;
    this.events = events;
    return {
      request: <T>(query: string, variables: Variables = {}) =>
        new Promise<T>((resolve, reject) => {
          const run = () => {
            const op = /\b(startVisitorSession|viewer|sendMessage|updateVisitor|setTyping|markRead)\b/.exec(query)![1]!;
            this.calls.push({ op, variables, token: this.socketToken });
            if (this.hang.has(op)) return;
            try {
              resolve(this.execute(op, variables) as T);
            } catch (error) {
              reject(error);
            }
          };
          if (this.up) queueMicrotask(run);
          else this.waiting.push(run);
        }),
      subscribe: <T>(_query: string, variables: Variables, next: (data: T) => void, error: (e: unknown) => void) => {
        const sub: Sub = { id: String(variables.id), after: (variables.after as string | null) ?? null, next: next as (d: unknown) => void, error, active: true };
        const start = () => {
          if (!sub.active) return;
          this.calls.push({ op: 'conversationEvents', variables, token: this.socketToken });
          this.subs.push(sub);
          const conversation = this.conversations.find((c) => c.id === sub.id);
          for (const m of conversation?.messages ?? []) {
            if (m.seq > seqOf(sub.after)) sub.next({ conversationEvents: { __typename: 'MessageAdded', cursor: cursor(m.seq), message: m } });
          }
        };
        if (this.up) queueMicrotask(start);
        else this.waiting.push(start);
        return () => {
          sub.active = false;
        };
      },
      restart: () => {
        this.restarts++;
        if (this.up) {
          this.drop(4499);
          queueMicrotask(() => this.open());
        }
      },
      dispose: () => {
        this.disposed = true;
        this.up = false;
      },
    };
  };

  /** The socket connects (with whatever token the widget holds now). */
  open(): void {
    if (this.disposed) return;
    const token = this.token();
    if (token && !this.validTokens.has(token)) {
      this.events.closed(4403);
      return;
    }
    this.up = true;
    this.socketToken = token;
    this.events.connected();
    for (const run of this.waiting.splice(0)) queueMicrotask(run);
  }

  /** The socket dies: its subscriptions end server-side. */
  drop(code = 1006): void {
    this.up = false;
    for (const sub of this.subs) sub.active = false;
    this.subs = [];
    this.events.closed(code);
  }

  callsOf(op: string): Call[] {
    return this.calls.filter((c) => c.op === op);
  }

  get conversation(): Conversation | undefined {
    return this.conversations.find((c) => c.status !== 'CLOSED') ?? this.conversations.at(-1);
  }

  private emit(conversationId: string, event: ConversationEvent) {
    for (const sub of this.subs) if (sub.active && sub.id === conversationId) sub.next({ conversationEvents: event });
  }

  private append(conversation: Conversation, message: Omit<Message, 'id' | 'seq' | 'createdAt'>): Message {
    const full: Message = { ...message, id: `M${++this.ids}`, seq: conversation.messages.length + 1, createdAt: new Date(2030, 0, 1, 12, this.ids).toISOString() };
    conversation.messages.push(full);
    this.emit(conversation.id, { __typename: 'MessageAdded', cursor: cursor(full.seq), message: full });
    return full;
  }

  agentSays(body: string, conversation = this.conversation!): Message {
    return this.append(conversation, { body, authorKind: 'AGENT', clientMessageId: null, agent: this.agent });
  }

  agentTyping(isTyping: boolean, conversation = this.conversation!): void {
    this.emit(conversation.id, { __typename: 'TypingChanged', authorKind: 'AGENT', isTyping, agent: { name: this.agent.name } });
  }

  agentReads(conversation = this.conversation!): void {
    conversation.agentReadSeq = conversation.messages.length;
    this.emit(conversation.id, { __typename: 'MessagesRead', authorKind: 'AGENT', seq: conversation.agentReadSeq });
  }

  close(conversation = this.conversation!): void {
    conversation.status = 'CLOSED';
    this.emit(conversation.id, { __typename: 'ConversationUpdated', conversation: { id: conversation.id, status: 'CLOSED' } });
  }

  private execute(op: string, variables: Variables): unknown {
    const failure = this.failures[op];
    if (failure) throw new RequestError([failure]);
    const input = (variables.input ?? {}) as Record<string, unknown>;
    const authed = this.socketToken !== null && this.validTokens.has(this.socketToken);
    switch (op) {
      case 'startVisitorSession': {
        let token = input.visitorToken as string | null;
        if (!token || !this.validTokens.has(token)) {
          token = `lcv_${++this.tokens}`;
          this.validTokens.add(token);
        }
        return { startVisitorSession: { visitorToken: token, visitor: { ...this.visitor }, widget: this.widget, agentsOnline: this.agentsOnline } };
      }
      case 'viewer': {
        if (!authed) return { viewer: { visitor: null } };
        const c = this.conversations.at(-1);
        const edges = c ? c.messages.slice(-50).map((m) => ({ cursor: cursor(m.seq), node: m })) : [];
        const node = c && { id: c.id, status: c.status, lastSeq: c.messages.length, agentReadSeq: c.agentReadSeq, visitorReadSeq: c.visitorReadSeq, messages: { edges, pageInfo: { endCursor: edges.at(-1)?.cursor ?? null } } };
        return { viewer: { visitor: { conversations: { edges: node ? [{ node }] : [] } } } };
      }
      case 'sendMessage': {
        if (!authed) throw new RequestError([{ message: 'Sign in', extensions: { code: 'UNAUTHENTICATED' } }]);
        let c = input.conversationId ? this.conversations.find((x) => x.id === input.conversationId) : this.conversations.find((x) => x.status !== 'CLOSED');
        if (!c && input.conversationId) throw new RequestError([{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }]);
        if (!c) {
          c = { id: `C${this.conversations.length + 1}`, status: 'OPEN', messages: [], agentReadSeq: 0, visitorReadSeq: 0 };
          this.conversations.push(c);
        }
        c.status = 'OPEN';
        const existing = c.messages.find((m) => m.clientMessageId === input.clientMessageId);
        const message = existing ?? this.append(c, { body: String(input.body), authorKind: 'VISITOR', clientMessageId: (input.clientMessageId as string) ?? null, agent: null });
        return { sendMessage: { conversation: { id: c.id, status: c.status }, message } };
      }
      case 'updateVisitor': {
        if (!authed) throw new RequestError([{ message: 'Sign in', extensions: { code: 'UNAUTHENTICATED' } }]);
        if ('name' in input) this.visitor.name = input.name as string;
        if ('email' in input) this.visitor.email = input.email as string;
        return { updateVisitor: { ...this.visitor } };
      }
      case 'markRead': {
        const c = this.conversations.find((x) => x.id === input.conversationId)!;
        const m = c.messages.find((x) => x.id === input.messageId)!;
        c.visitorReadSeq = Math.max(c.visitorReadSeq, m.seq);
        return { markRead: true };
      }
      default:
        return { [op]: true };
    }
  }
}

/** Lets queued microtasks and promise chains run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
