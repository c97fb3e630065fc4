import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutbox, type OutboxItem, type SendOutcome } from './outbox';

/** A send whose every call waits until the test answers it. */
function controlledSend() {
  const calls: { item: OutboxItem; answer: (outcome: SendOutcome) => void; fail: (error: Error) => void }[] = [];
  const send = vi.fn(
    (item: OutboxItem) =>
      new Promise<SendOutcome>((resolve, reject) => {
        calls.push({ item, answer: resolve, fail: reject });
      }),
  );
  return { send, calls };
}

function sequentialIds() {
  let n = 0;
  return () => `cm-${++n}`;
}

/** Lets the outbox's promise chain run (a handful of microtask turns). */
async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

beforeEach(() => localStorage.clear());
afterEach(() => vi.useRealTimers());

describe('createOutbox', () => {
  it('sends messages in order, one at a time', async () => {
    const { send, calls } = controlledSend();
    const outbox = createOutbox({ send, newId: sequentialIds() });
    outbox.enqueue('c1', 'first');
    outbox.enqueue('c1', 'second');
    await settle();

    expect(send).toHaveBeenCalledTimes(1);
    expect(calls[0]!.item.body).toBe('first');
    expect(outbox.items.map((i) => i.state)).toEqual(['sending', 'queued']);

    calls[0]!.answer({ kind: 'sent' });
    await settle();
    expect(send).toHaveBeenCalledTimes(2);
    expect(calls[1]!.item.body).toBe('second');
    expect(outbox.items.map((i) => i.body)).toEqual(['second']);

    calls[1]!.answer({ kind: 'sent' });
    await settle();
    expect(outbox.items).toEqual([]);
  });

  it('keeps a message queued after a retry outcome and tries again after the delay, with the same clientMessageId', async () => {
    vi.useFakeTimers();
    const { send, calls } = controlledSend();
    const outbox = createOutbox({ send, newId: sequentialIds(), retryDelays: [1000, 5000] });
    const item = outbox.enqueue('c1', 'hello');
    outbox.enqueue('c1', 'after');
    await settle();

    calls[0]!.answer({ kind: 'retry' });
    await settle();
    expect(outbox.items.map((i) => i.state)).toEqual(['queued', 'queued']);
    expect(send).toHaveBeenCalledTimes(1); // the later message waits behind it

    await vi.advanceTimersByTimeAsync(999);
    expect(send).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledTimes(2);
    expect(calls[1]!.item.clientMessageId).toBe(item.clientMessageId);

    // Second failure in a row waits the next delay.
    calls[1]!.answer({ kind: 'retry' });
    await settle();
    await vi.advanceTimersByTimeAsync(4999);
    expect(send).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledTimes(3);
    expect(calls[2]!.item.clientMessageId).toBe(item.clientMessageId);

    calls[2]!.answer({ kind: 'sent' });
    await settle();
    expect(calls[3]!.item.body).toBe('after');
  });

  it('tries again at once on retryNow()', async () => {
    vi.useFakeTimers();
    const { send, calls } = controlledSend();
    const outbox = createOutbox({ send, newId: sequentialIds(), retryDelays: [60_000] });
    const item = outbox.enqueue('c1', 'hello');
    await settle();
    calls[0]!.answer({ kind: 'retry' });
    await settle();

    void outbox.retryNow();
    await settle();
    expect(send).toHaveBeenCalledTimes(2);
    expect(calls[1]!.item.clientMessageId).toBe(item.clientMessageId);

    calls[1]!.answer({ kind: 'sent' });
    await settle();
    expect(outbox.items).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(send).toHaveBeenCalledTimes(2); // the old timer is gone
  });

  it('counts a thrown (rejected) send as a retry', async () => {
    vi.useFakeTimers();
    const { send, calls } = controlledSend();
    const outbox = createOutbox({ send, newId: sequentialIds(), retryDelays: [1000] });
    outbox.enqueue('c1', 'hello');
    await settle();
    calls[0]!.fail(new Error('socket closed'));
    await settle();

    expect(outbox.items[0]).toMatchObject({ state: 'queued', body: 'hello' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('marks a refused message failed with its error, goes on with the next, and requeues it on retry(id)', async () => {
    const { send, calls } = controlledSend();
    const outbox = createOutbox({ send, newId: sequentialIds() });
    const refused = outbox.enqueue('c1', 'too long');
    outbox.enqueue('c1', 'next');
    await settle();

    calls[0]!.answer({ kind: 'failed', error: 'Message too long.' });
    await settle();
    expect(outbox.items[0]).toMatchObject({ clientMessageId: refused.clientMessageId, state: 'failed', error: 'Message too long.' });
    expect(calls[1]!.item.body).toBe('next');
    calls[1]!.answer({ kind: 'sent' });
    await settle();

    void outbox.retry(refused.clientMessageId);
    await settle();
    expect(send).toHaveBeenCalledTimes(3);
    expect(calls[2]!.item.clientMessageId).toBe(refused.clientMessageId);
    expect(outbox.items[0]).toMatchObject({ state: 'sending' });
    expect(outbox.items[0]!.error).toBeUndefined();
  });

  it('discards a message', async () => {
    const { send, calls } = controlledSend();
    const outbox = createOutbox({ send, newId: sequentialIds() });
    const item = outbox.enqueue('c1', 'oops');
    await settle();
    calls[0]!.answer({ kind: 'failed', error: 'No.' });
    await settle();
    outbox.discard(item.clientMessageId);
    expect(outbox.items).toEqual([]);
  });

  it('stops for good on dispose(), even when a send was in flight', async () => {
    vi.useFakeTimers();
    const { send, calls } = controlledSend();
    const outbox = createOutbox({ send, newId: sequentialIds(), retryDelays: [1000] });
    outbox.enqueue('c1', 'hello');
    await settle();
    outbox.dispose(); // the agent signs out while the message is on its way
    calls[0]!.answer({ kind: 'retry' });
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('persists the queue under storageKey and restores it, a message left sending coming back queued', async () => {
    const { send } = controlledSend();
    const first = createOutbox({ send, storageKey: 'outbox.test', newId: sequentialIds() });
    first.enqueue('c1', 'in flight');
    await settle();
    const saved = JSON.parse(localStorage.getItem('outbox.test') ?? '[]') as OutboxItem[];
    expect(saved).toEqual([{ clientMessageId: 'cm-1', conversationId: 'c1', body: 'in flight', state: 'sending' }]);
    first.dispose();

    // A reload: a new outbox with the same key.
    const again = controlledSend();
    const second = createOutbox({ send: again.send, storageKey: 'outbox.test' });
    expect(second.items).toEqual([{ clientMessageId: 'cm-1', conversationId: 'c1', body: 'in flight', state: 'queued' }]);

    void second.retryNow();
    await settle();
    expect(again.calls[0]!.item.clientMessageId).toBe('cm-1');
    again.calls[0]!.answer({ kind: 'sent' });
    await settle();
    expect(JSON.parse(localStorage.getItem('outbox.test') ?? 'null')).toEqual([]);
  });

  it('starts empty when nothing (or garbage) is stored', () => {
    localStorage.setItem('outbox.bad', '{not json');
    expect(createOutbox({ send: vi.fn(), storageKey: 'outbox.bad' }).items).toEqual([]);
    expect(createOutbox({ send: vi.fn(), storageKey: 'outbox.none' }).items).toEqual([]);
  });
});
