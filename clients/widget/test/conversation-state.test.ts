import { describe, expect, it } from 'vitest';
import { ConversationState } from '../src/conversation-state.js';
import type { AuthorKind, ConversationNode, Message } from '../src/types.js';

const msg = (seq: number, authorKind: AuthorKind = 'VISITOR', extra: Partial<Message> = {}): Message => ({
  id: `M${seq}`,
  seq,
  body: `message ${seq}`,
  authorKind,
  createdAt: new Date(2030, 0, 1, 0, seq).toISOString(),
  clientMessageId: authorKind === 'VISITOR' ? `cm-${seq}` : null,
  agent: authorKind === 'AGENT' ? { id: 'A1', name: 'Alice', jobTitle: 'Support', motto: null } : null,
  ...extra,
});

const node = (id: string, messages: Message[], extra: Partial<ConversationNode> = {}): ConversationNode => ({
  id,
  status: 'OPEN',
  lastSeq: messages.at(-1)?.seq ?? 0,
  agentReadSeq: 0,
  visitorReadSeq: 0,
  messages: { edges: messages.map((m) => ({ cursor: `c${m.seq}`, node: m })), pageInfo: { endCursor: messages.length ? `c${messages.at(-1)!.seq}` : null } },
  ...extra,
});

const seqs = (state: ConversationState) => state.messages.map((m) => m.seq);

describe('ConversationState', () => {
  it('loads history and resumes after its last cursor', () => {
    const state = new ConversationState();
    state.load(node('C1', [msg(1), msg(2, 'AGENT'), msg(3)], { agentReadSeq: 1, visitorReadSeq: 2 }));
    expect(state.conversationId).toBe('C1');
    expect(state.isOpen()).toBe(true);
    expect(seqs(state)).toEqual([1, 2, 3]);
    expect(state.lastCursor).toBe('c3');
    expect(state.agentReadSeq).toBe(1);
    expect(state.visitorReadSeq).toBe(2);
  });

  it('knows each message once by its seq, whatever order and however often it arrives', () => {
    const state = new ConversationState();
    state.switchTo('C1', 'OPEN');
    expect(state.add(msg(2), 'c2')).toBe(true);
    expect(state.add(msg(1), 'c1')).toBe(true);
    expect(state.add(msg(2), 'c2')).toBe(false);
    expect(state.add(msg(4))).toBe(true);
    expect(state.add(msg(3), 'c3')).toBe(true);
    expect(seqs(state)).toEqual([1, 2, 3, 4]);
    // the cursor only moves forward, and only with a cursor
    expect(state.lastCursor).toBe('c3');
  });

  it('after a reconnect the replay from the last cursor adds what was missed and doubles nothing', () => {
    const state = new ConversationState();
    state.load(node('C1', [msg(1), msg(2, 'AGENT')]));
    // while live: our message confirmed by sendMessage's answer (no cursor) and then echoed
    state.add(msg(3));
    state.add(msg(3), 'c3');
    expect(state.lastCursor).toBe('c3');
    // the socket dies; meanwhile the agent writes 4 and 5; we send 6 as it comes back
    state.add(msg(6));
    const after = state.lastCursor;
    expect(after).toBe('c3');
    // the resubscription replays everything after c3 (4, 5, 6), then live 7
    const added = [4, 5, 6, 7].map((seq) => state.add(msg(seq, seq === 6 ? 'VISITOR' : 'AGENT'), `c${seq}`));
    expect(added).toEqual([true, true, false, true]);
    expect(seqs(state)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(state.lastCursor).toBe('c7');
    // a history reload on top changes nothing
    state.load(node('C1', [msg(5, 'AGENT'), msg(6), msg(7, 'AGENT')]));
    expect(seqs(state)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a new conversation after a closed one keeps the old messages as history, seq starting over', () => {
    const state = new ConversationState();
    state.load(node('C1', [msg(1), msg(2, 'AGENT')], { status: 'CLOSED' }));
    expect(state.isOpen()).toBe(false);
    state.switchTo('C2', 'OPEN');
    expect(state.add(msg(1, 'VISITOR', { id: 'N1', clientMessageId: 'new' }))).toBe(true);
    expect(state.previous.map((m) => m.id)).toEqual(['M1', 'M2']);
    expect(state.messages.map((m) => m.id)).toEqual(['N1']);
    expect(state.lastCursor).toBeNull();
    expect(state.confirmed()).toEqual(new Set(['cm-1', 'new']));
    // the header still knows who answered last time
    expect(state.agent()?.name).toBe('Alice');
  });

  it('marks the newest own message the agents have read', () => {
    const state = new ConversationState();
    state.load(node('C1', [msg(1), msg(2), msg(3, 'AGENT'), msg(4)]));
    expect(state.seenSeq()).toBe(0);
    state.read('AGENT', 3);
    expect(state.seenSeq()).toBe(2);
    state.read('SYSTEM', 4);
    expect(state.seenSeq()).toBe(4);
    state.read('AGENT', 1); // never backwards
    expect(state.seenSeq()).toBe(4);
  });

  it('counts unread agent messages after the visitor read position', () => {
    const state = new ConversationState();
    state.load(node('C1', [msg(1), msg(2, 'AGENT'), msg(3, 'SYSTEM'), msg(4)], { visitorReadSeq: 2 }));
    expect(state.unread().map((m) => m.seq)).toEqual([3]);
    state.read('VISITOR', 3);
    expect(state.unread()).toEqual([]);
  });
});
