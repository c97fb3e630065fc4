import { Repeater } from '@repeaterjs/repeater';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { ForbiddenError } from '../../shared/errors.js';
import { parseGlobalId } from '../../shared/ids.js';
import { decodeCursor } from '../../shared/keyset.js';
import { toRow } from '../../realtime/rows.js';
import { topics, type AccountEvent, type ConversationEvent, type MessageAddedEvent } from '../../realtime/topics.js';
import { isStaffOf } from '../auth/viewer.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { canSeeConversation } from '../conversations/conversations.policy.js';
import { Message } from '../messages/message.entity.js';
import { bySeq } from '../messages/messages.service.js';

type Push<T> = (event: T) => Promise<unknown>;
/** Runs a task in the stream's order after a delay (unless the stream has ended by then). */
type Later = (ms: number, task: () => Promise<void>) => void;

/**
 * How long a message that arrives ahead of its predecessor waits for it before the gap is read
 * from the database: concurrent senders commit in seq order but may publish out of it, and
 * waiting a moment spares every subscriber a query.
 */
export const reorderWaitMs = 150;

/**
 * A stream of one topic for one subscriber. It listens first and only then runs `start`
 * (the replay), and handles events strictly one after another, so nothing published while
 * the replay reads the database is lost or reordered. It ends when the client stops, or
 * when the subscriber's access is revoked on any instance.
 */
function stream<E extends { type: string; publishedAt: number }>(
  ctx: Context,
  topic: string,
  handlers: { start?: (push: Push<E>) => Promise<void>; handle: (event: E, push: Push<E>, later: Later) => Promise<void> },
): AsyncIterable<E> {
  const { realtime } = ctx.deps;
  return new Repeater<E>(async (push, stop) => {
    // Once stopped, queued work is skipped and a replay in progress ends at its next message.
    let stopped = false;
    void stop.then(() => (stopped = true));
    const deliver: Push<E> = async (event) => {
      if (stopped) throw new Error('stream stopped');
      realtime.metrics.eventsDelivered.inc({ type: event.type });
      realtime.metrics.deliveryLag.observe(Math.max(0, Date.now() - event.publishedAt) / 1000);
      return push(event);
    };
    let chain: Promise<void> = Promise.resolve();
    const enqueue = (task: () => Promise<void>) => {
      chain = chain.then(() => (stopped ? undefined : task())).catch((error: unknown) => stop(error));
    };
    const timers = new Set<NodeJS.Timeout>();
    const later: Later = (ms, task) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        enqueue(task);
      }, ms);
      timers.add(timer);
    };
    // `start` is first in line, before any event: the listener may be called before `subscribe`
    // returns (over Redis, in the same read as the SUBSCRIBE reply), and those events must wait
    // for the replay, not run ahead of it. It runs once the subscription is active.
    let active!: (started: boolean) => void;
    const subscribed = new Promise<boolean>((resolve) => (active = resolve));
    enqueue(async () => {
      if (await subscribed) await handlers.start?.(deliver);
    });
    let unsubscribe: () => Promise<void>;
    try {
      unsubscribe = await realtime.pubsub.subscribe<E>(topic, (event) => enqueue(() => handlers.handle(event, deliver, later)));
    } catch (error) {
      active(false);
      throw error;
    }
    const untrack = realtime.connections.track(ctx.viewer, () => stop());
    realtime.metrics.activeSubscriptions.inc();
    active(true);
    await stop;
    for (const timer of timers) clearTimeout(timer);
    realtime.metrics.activeSubscriptions.dec();
    untrack();
    await unsubscribe();
  });
}

/** The persisted messages after `afterSeq`, as MessageAdded events, in seq order. */
async function* persistedAfter(em: EntityManager, conversation: Conversation, afterSeq: number, untilSeq = Number.MAX_SAFE_INTEGER) {
  let last = afterSeq;
  for (;;) {
    const page = await em.find(
      Message,
      { accountId: conversation.accountId, conversationId: conversation.id, seq: { $gt: last, $lte: untilSeq } },
      { orderBy: { seq: 'asc' }, limit: 100 },
    );
    for (const message of page) {
      const event: MessageAddedEvent = {
        type: 'MessageAdded',
        accountId: conversation.accountId,
        conversationId: conversation.id,
        publishedAt: Date.now(),
        message: toRow(message),
        conversation: toRow(conversation),
        visitor: null,
        agent: null,
        assignee: null,
      };
      yield event;
      last = message.seq;
    }
    if (page.length < 100) return;
  }
}

/**
 * One conversation's events. With `after` (a message cursor) it first replays every later
 * persisted message, then goes live; a message arriving ahead of its predecessor is held
 * until the gap closes (or, after a moment, is read from the database), and anything at or
 * below the last seq sent is dropped, so there is no gap and no duplicate.
 */
export async function conversationEvents(ctx: Context, conversationGlobalId: string, after: string | null | undefined) {
  const parsed = parseGlobalId(conversationGlobalId);
  const found = parsed?.typename === 'Conversation' ? await ctx.loaders.conversation.load(parsed.id) : null;
  if (!found || !canSeeConversation(ctx.viewer, found)) {
    throw new ForbiddenError('You may not follow this conversation.');
  }
  const conversation: Conversation = found;
  const afterSeq = after ? Number(decodeCursor(after, bySeq, 'after')[0]) : null;
  const em = ctx.deps.orm.em.fork() as EntityManager;
  let lastSeq = 0;
  /** messages that arrived before their predecessors, by seq */
  const ahead = new Map<number, MessageAddedEvent>();
  let waiting = false;

  return stream<ConversationEvent>(ctx, topics.conversation(conversation.id), {
    start: async (push) => {
      if (afterSeq === null) {
        const [row] = await em.execute<{ last_seq: number }[]>('select last_seq from conversations where id = ? and account_id = ?', [
          conversation.id,
          conversation.accountId,
        ]);
        lastSeq = row?.last_seq ?? 0;
        return;
      }
      lastSeq = afterSeq;
      for await (const event of persistedAfter(em, conversation, afterSeq)) {
        await push(event);
        lastSeq = Number(event.message.seq);
      }
    },
    handle: async (event, push, later) => {
      if (event.type !== 'MessageAdded') {
        await push(event);
        return;
      }
      const seq = Number(event.message.seq);
      if (seq <= lastSeq || ahead.has(seq)) return;
      ahead.set(seq, event);
      await sendInOrder(push);
      if (ahead.size > 0 && !waiting) {
        waiting = true;
        later(reorderWaitMs, async () => {
          waiting = false;
          await fillGaps(push);
        });
      }
    },
  });

  /** Sends the messages held back that now follow on without a gap. */
  async function sendInOrder(push: Push<ConversationEvent>) {
    for (let next = ahead.get(lastSeq + 1); next; next = ahead.get(lastSeq + 1)) {
      ahead.delete(lastSeq + 1);
      await push(next);
      lastSeq += 1;
    }
  }

  /** The missing messages never came live: read them from the database, then send what was held. */
  async function fillGaps(push: Push<ConversationEvent>) {
    while (ahead.size > 0) {
      const firstHeld = Math.min(...ahead.keys());
      for await (const missed of persistedAfter(em.fork() as EntityManager, conversation, lastSeq, firstHeld - 1)) {
        await push(missed);
        lastSeq = Number(missed.message.seq);
      }
      // if the database had fewer (cannot happen: a later seq commits after an earlier one), skip ahead
      lastSeq = Math.max(lastSeq, firstHeld - 1);
      await sendInOrder(push);
    }
  }
}

/** The whole account's events, for its agents and API tokens. */
export function accountEvents(ctx: Context) {
  const viewer = ctx.viewer;
  if (viewer.kind === 'ANONYMOUS' || viewer.kind === 'VISITOR' || !isStaffOf(viewer, viewer.accountId)) {
    throw new ForbiddenError('Only agents and API tokens follow account events.');
  }
  return stream<AccountEvent>(ctx, topics.account(viewer.accountId), { handle: (event, push) => push(event).then(() => {}) });
}
