import { describe, expect, it } from 'vitest';
import { createConnections } from '../../realtime/connections.js';
import { createMetrics } from '../../realtime/metrics.js';
import { createLocalPubSub } from '../../realtime/pubsub.js';
import type { Viewer } from '../auth/viewer.js';
import { EventStream, type StreamHandlers } from './event-stream.js';

type E = { type: string; publishedAt: number; n: number };

function setUp() {
  const realtime = { pubsub: createLocalPubSub(), connections: createConnections(), metrics: createMetrics() };
  const viewer: Viewer = { kind: 'VISITOR', accountId: 'a', visitorId: 'v' };
  const event = (n: number): E => ({ type: 'Test', publishedAt: Date.now(), n });
  const publish = (n: number) => realtime.pubsub.publish('topic', event(n));
  const stream = (handlers: StreamHandlers<E>) => new EventStream<E>({ realtime } as never, viewer, 'topic', handlers);
  return { realtime, viewer, event, publish, stream };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('EventStream', () => {
  it('delivers the replay first, then live events in order, even when a delivery has to wait', async () => {
    const { realtime, publish, event, stream } = setUp();
    let replayed!: () => void;
    const replayGate = new Promise<void>((resolve) => (replayed = resolve));
    const s = stream({
      start: async (self) => {
        await replayGate;
        await self.push(event(1));
      },
      handle: (e, self) => self.push(e),
    });
    const got: number[] = [];
    let slow: (() => void) | null = null;
    const ended = s.attach((e) => {
      const n = (e as E).n;
      // the third event's delivery waits (as when its rendering runs): the fourth waits behind it
      if (n === 3) return new Promise<void>((resolve) => (slow = () => (got.push(n), resolve())));
      got.push(n);
    });
    await tick();
    await publish(2); // arrives while the replay still reads
    replayed();
    await tick();
    expect(got).toEqual([1, 2]);
    await publish(3);
    await publish(4);
    await tick();
    expect(got).toEqual([1, 2]);
    slow!();
    await tick();
    expect(got).toEqual([1, 2, 3, 4]);
    await s.return();
    await expect(ended).resolves.toBeUndefined();
    expect(realtime.pubsub.stats().listeners).toBe(0);
    expect(realtime.connections.stats().open).toBe(0);
  });

  it('is pulled with next as well, and ends with the error a handler threw', async () => {
    const { realtime, publish, stream } = setUp();
    const s = stream({
      handle: (e, self) => {
        if (e.n === 2) throw new Error('broken');
        return self.push(e);
      },
    });
    const first = s.next();
    await tick();
    expect(realtime.pubsub.stats().listeners).toBe(1);
    await publish(1);
    expect((await first).value).toMatchObject({ n: 1 });
    const second = s.next();
    await publish(2);
    await expect(second).rejects.toThrow('broken');
    await tick();
    expect(realtime.pubsub.stats().listeners).toBe(0);
    expect(realtime.connections.stats().open).toBe(0);
  });

  it('ends when its viewer is revoked, and lets go of its topic', async () => {
    const { realtime, viewer, stream } = setUp();
    const s = stream({ handle: (e, self) => self.push(e) });
    const ended = s.attach(() => {});
    await tick();
    expect(realtime.connections.stats().open).toBe(1);
    realtime.connections.revoke({ kind: 'visitor', id: viewer.kind === 'VISITOR' ? viewer.visitorId : '' });
    await expect(ended).resolves.toBeUndefined();
    await tick();
    expect(realtime.pubsub.stats().listeners).toBe(0);
  });
});
