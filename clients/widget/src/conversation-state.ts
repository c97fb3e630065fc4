import type { AgentInfo, AuthorKind, ConversationNode, ConversationStatus, Message } from './types.js';

/**
 * What the visitor's side knows of its conversation, merged from three sources that overlap:
 * the history query, sendMessage's answers and the subscription (which replays from the last
 * cursor after every reconnect). seq numbers a conversation's messages from 1 without gaps,
 * so a message is known once by its seq however often it arrives. DOM-free.
 */
export class ConversationState {
  conversationId: string | null = null;
  status: ConversationStatus | null = null;
  /** The current conversation's messages, by seq. */
  messages: Message[] = [];
  /** Messages of the visitor's earlier (closed) conversation, still shown above a new one. */
  previous: Message[] = [];
  /** Where a (re)subscription resumes: the cursor of the newest message received with one. */
  lastCursor: string | null = null;
  private cursorSeq = 0;
  agentReadSeq = 0;
  visitorReadSeq = 0;

  /** Is there a conversation the next message goes into? A closed one is history only. */
  isOpen(): boolean {
    return this.conversationId !== null && this.status !== 'CLOSED';
  }

  /** Applies the history query's answer, merging with what is already known. */
  load(node: ConversationNode): void {
    if (node.id !== this.conversationId) this.switchTo(node.id, node.status);
    this.status = node.status;
    for (const edge of node.messages.edges) this.add(edge.node, edge.cursor);
    this.read('AGENT', node.agentReadSeq);
    this.read('VISITOR', node.visitorReadSeq);
  }

  /** A new conversation began (the first message after a closed one): the old one becomes history. */
  switchTo(conversationId: string, status: ConversationStatus): void {
    if (conversationId === this.conversationId) return;
    this.previous = [...this.previous, ...this.messages];
    this.conversationId = conversationId;
    this.status = status;
    this.messages = [];
    this.lastCursor = null;
    this.cursorSeq = 0;
    this.agentReadSeq = 0;
    this.visitorReadSeq = 0;
  }

  /**
   * Adds a message of the current conversation unless its seq is already known; true when it
   * is new. A cursor (history edge, MessageAdded) moves the resume point; a message known
   * without one (sendMessage's answer) will be replayed on resubscribing, and ignored then.
   */
  add(message: Message, cursor?: string | null): boolean {
    if (cursor && message.seq > this.cursorSeq) {
      this.lastCursor = cursor;
      this.cursorSeq = message.seq;
    }
    let i = this.messages.length;
    while (i > 0 && this.messages[i - 1]!.seq >= message.seq) i--;
    if (this.messages[i]?.seq === message.seq) return false;
    this.messages.splice(i, 0, message);
    return true;
  }

  /** A side read up to seq: the agents (AGENT, SYSTEM) or the visitor (in another tab, say). */
  read(authorKind: AuthorKind, seq: number): void {
    if (authorKind === 'VISITOR') this.visitorReadSeq = Math.max(this.visitorReadSeq, seq);
    else this.agentReadSeq = Math.max(this.agentReadSeq, seq);
  }

  /** The visitor's newest message the agents have read (shows "Seen"), or 0. */
  seenSeq(): number {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const m = this.messages[i]!;
      if (m.authorKind === 'VISITOR' && m.seq <= this.agentReadSeq) return m.seq;
    }
    return 0;
  }

  /** The agent who wrote last, for the header. */
  agent(): AgentInfo | null {
    const all = [...this.previous, ...this.messages];
    for (let i = all.length - 1; i >= 0; i--) {
      const agent = all[i]!.agent;
      if (agent) return agent;
    }
    return null;
  }

  /** Messages from the agents' side the visitor has not read yet. */
  unread(): Message[] {
    return this.messages.filter((m) => m.authorKind !== 'VISITOR' && m.seq > this.visitorReadSeq);
  }

  /** clientMessageIds the server has confirmed: their outbox entries are done. */
  confirmed(): Set<string> {
    const ids = new Set<string>();
    for (const m of [...this.previous, ...this.messages]) if (m.clientMessageId) ids.add(m.clientMessageId);
    return ids;
  }
}
