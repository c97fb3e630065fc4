import { describe, expect, it } from 'vitest';
import { newClientMessageId, Outbox, OutboxSender, type OutboxItem, type SendResult, type Timers } from '../src/outbox.js';
import { createStore } from '../src/storage.js';
import { memoryStore } from './memory-store.js';

const key = 'livechat:wk:outbox';
let n = 0;
const ids = () => `id-${++n}`;

/** Timers run by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: Timers = {
    set: (run) => (pending.set(++next, run), next),
    clear: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    pending,
    fire() {
      const runs = [...pending.values()];
      pending.clear();
      for (const run of runs) run();
    },
  };
}

const tick = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** A send function answered by hand, recording every attempt. */
function controlledSend() {
  const attempts: { item: OutboxItem; answer: (result: SendResult) => void }[] = [];
  const send = (item: OutboxItem) => new Promise<SendResult>((answer) => attempts.push({ item, answer }));
  return { attempts, send };
}

describe('Outbox', () => {
  it('keeps messages in the order typed, each with its own clientMessageId', () => {
    const outbox = new Outbox(memoryStore(), key, ids);
    const a = outbox.add('first');
    const b = outbox.add('second');
    expect(a.clientMessageId).not.toBe(b.clientMessageId);
    expect(outbox.items().map((i) => i.body)).toEqual(['first', 'second']);
    expect(outbox.next()).toBe(a);
  });

  it('persists every change, so a reload restores the unsent messages', () => {
    const store = memoryStore();
    const outbox = new Outbox(store, key, ids);
    const a = outbox.add('one');
    outbox.add('two');
    const reloaded = new Outbox(store, key, ids);
    expect(reloaded.items()).toEqual(outbox.items());
    reloaded.remove(a.clientMessageId);
    expect(new Outbox(store, key, ids).items().map((i) => i.body)).toEqual(['two']);
    reloaded.remove(reloaded.items()[0]!.clientMessageId);
    expect(store.map.has(key)).toBe(false);
  });

  it('two tabs sharing storage never erase each other\'s unsent messages', () => {
    const store = memoryStore();
    const tab1 = new Outbox(store, key, ids);
    const tab2 = new Outbox(store, key, ids);
    const x = tab2.add('from tab 2');
    const y = tab1.add('from tab 1'); // tab 1 never saw x in memory
    expect(new Outbox(store, key, ids).items().map((i) => i.body).sort()).toEqual(['from tab 1', 'from tab 2']);
    tab2.remove(x.clientMessageId);
    tab1.setFailed(y.clientMessageId, false); // any later write of tab 1 keeps x gone
    expect(new Outbox(store, key, ids).items().map((i) => i.body)).toEqual(['from tab 1']);
    tab1.remove(y.clientMessageId);
    expect(store.map.has(key)).toBe(false);
  });

  it('ignores a damaged saved outbox', () => {
    const store = memoryStore(new Map([[key, '{not json']]));
    expect(new Outbox(store, key).items()).toEqual([]);
    const other = memoryStore(new Map([[key, JSON.stringify([{ body: 'no id' }, { clientMessageId: 'x', body: 'ok', createdAt: 'now' }])]]));
    expect(new Outbox(other, key).items().map((i) => i.body)).toEqual(['ok']);
  });

  it('works in memory when storage is blocked', () => {
    const store = createStore(() => {
      throw new Error('blocked');
    });
    const outbox = new Outbox(store, key, ids);
    outbox.add('still here');
    expect(outbox.items()).toHaveLength(1);
    expect(new Outbox(store, key, ids).items()).toHaveLength(1); // same page: the memory copy
  });

  it('skips a refused message and puts it back, same id and place, on retry', () => {
    const outbox = new Outbox(memoryStore(), key, ids);
    const a = outbox.add('a');
    const b = outbox.add('b');
    outbox.setFailed(a.clientMessageId, true);
    expect(outbox.next()).toBe(b);
    outbox.setFailed(a.clientMessageId, false);
    expect(outbox.next()!.clientMessageId).toBe(a.clientMessageId);
    expect(outbox.next()!.failed).toBeUndefined();
  });
});

describe('OutboxSender', () => {
  it('sends one message at a time, oldest first', async () => {
    const outbox = new Outbox(memoryStore(), key, ids);
    const { attempts, send } = controlledSend();
    const sender = new OutboxSender(outbox, send, () => 1000, manualTimers().timers);
    outbox.add('1');
    outbox.add('2');
    outbox.add('3');
    sender.flush();
    sender.flush(); // already sending: no second, parallel attempt
    await tick();
    expect(attempts.map((a) => a.item.body)).toEqual(['1']);
    attempts[0]!.answer('sent');
    await tick();
    attempts[1]!.answer('sent');
    await tick();
    attempts[2]!.answer('sent');
    await tick();
    expect(attempts.map((a) => a.item.body)).toEqual(['1', '2', '3']);
    expect(outbox.items()).toEqual([]);
  });

  it('retries with the same clientMessageId after a backoff, and nothing overtakes it', async () => {
    const outbox = new Outbox(memoryStore(), key, ids);
    const { attempts, send } = controlledSend();
    const clock = manualTimers();
    const delays: number[] = [];
    const sender = new OutboxSender(outbox, send, (attempt) => (delays.push(attempt), 1000), clock.timers);
    const first = outbox.add('first');
    outbox.add('second');
    sender.flush();
    await tick();
    attempts[0]!.answer('retry'); // the socket died mid-send
    await tick();
    expect(attempts).toHaveLength(1);
    expect(clock.pending.size).toBe(1);
    clock.fire();
    await tick();
    attempts[1]!.answer('retry');
    await tick();
    sender.flush(); // reconnected: no need to wait for the backoff
    await tick();
    expect(clock.pending.size).toBe(0);
    attempts[2]!.answer('sent');
    await tick();
    attempts[3]!.answer('sent');
    await tick();
    expect(attempts.slice(0, 3).map((a) => a.item.clientMessageId)).toEqual([first.clientMessageId, first.clientMessageId, first.clientMessageId]);
    expect(attempts.map((a) => a.item.body)).toEqual(['first', 'first', 'first', 'second']);
    expect(delays).toEqual([0, 1]);
    expect(outbox.items()).toEqual([]);
  });

  it('treats a throwing send as retryable', async () => {
    const outbox = new Outbox(memoryStore(), key, ids);
    const clock = manualTimers();
    let calls = 0;
    const sender = new OutboxSender(
      outbox,
      async () => {
        if (++calls === 1) throw new Error('socket closed');
        return 'sent';
      },
      () => 5,
      clock.timers,
    );
    outbox.add('x');
    sender.flush();
    await tick();
    expect(outbox.items()).toHaveLength(1);
    clock.fire();
    await tick();
    expect(outbox.items()).toHaveLength(0);
  });

  it('marks a refused message failed and goes on with the next', async () => {
    const outbox = new Outbox(memoryStore(), key, ids);
    const sent: string[] = [];
    const sender = new OutboxSender(outbox, async (item) => (item.body === 'too long' ? 'failed' : (sent.push(item.body), 'sent')), () => 5, manualTimers().timers);
    outbox.add('too long');
    outbox.add('fine');
    sender.flush();
    await tick();
    expect(sent).toEqual(['fine']);
    expect(outbox.items()).toMatchObject([{ body: 'too long', failed: true }]);
  });

  it('does not send a message confirmed meanwhile (e.g. echoed by the subscription)', async () => {
    const outbox = new Outbox(memoryStore(), key, ids);
    const { attempts, send } = controlledSend();
    const sender = new OutboxSender(outbox, send, () => 5, manualTimers().timers);
    const a = outbox.add('a');
    outbox.add('b');
    sender.flush();
    await tick();
    outbox.remove(a.clientMessageId); // confirmed by the subscription before the answer came
    attempts[0]!.answer('sent');
    await tick();
    expect(attempts.map((x) => x.item.body)).toEqual(['a', 'b']);
  });

  it('stops for good', async () => {
    const outbox = new Outbox(memoryStore(), key, ids);
    const { attempts, send } = controlledSend();
    const sender = new OutboxSender(outbox, send, () => 5, manualTimers().timers);
    sender.stop();
    outbox.add('a');
    sender.flush();
    await tick();
    expect(attempts).toHaveLength(0);
  });
});

describe('newClientMessageId', () => {
  it('is a v4 UUID, also without crypto.randomUUID (plain-http pages)', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newClientMessageId()).toMatch(uuid);
    const original = globalThis.crypto;
    try {
      Object.defineProperty(globalThis, 'crypto', { value: { getRandomValues: original.getRandomValues.bind(original) }, configurable: true });
      const a = newClientMessageId();
      expect(a).toMatch(uuid);
      Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
      const b = newClientMessageId();
      expect(b).toMatch(uuid);
      expect(a).not.toBe(b);
    } finally {
      Object.defineProperty(globalThis, 'crypto', { value: original, configurable: true });
    }
  });
});
