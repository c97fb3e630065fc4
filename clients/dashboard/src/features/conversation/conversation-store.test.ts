import { describe, expect, it } from 'vitest';
import { mergeMessages, type Message } from './conversation-store';

function message(seq: number, body = `message ${seq}`): Message {
  return { id: `m${seq}`, seq, body, authorKind: 'VISITOR', createdAt: '2026-01-01T10:00:00.000Z', clientMessageId: null, agent: null };
}

describe('mergeMessages', () => {
  it('keeps one copy per seq, in seq order', () => {
    const merged = mergeMessages([message(3), message(4)], [message(1), message(4), message(2), message(5), message(3)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes the incoming copy of a seq it already has', () => {
    const merged = mergeMessages([message(1, 'old')], [message(1, 'new')]);
    expect(merged).toEqual([message(1, 'new')]);
  });

  it('does not change the list it was given', () => {
    const list = [message(2)];
    mergeMessages(list, [message(1)]);
    expect(list).toEqual([message(2)]);
  });

  it('handles empty lists', () => {
    expect(mergeMessages([], [])).toEqual([]);
    expect(mergeMessages([message(1)], [])).toEqual([message(1)]);
  });
});
