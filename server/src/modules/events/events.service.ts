import type { EntityManager } from '@mikro-orm/postgresql';
import { releaseResources, type Context } from '../../context.js';
import { ForbiddenError } from '../../shared/errors.js';
import { parseGlobalId } from '../../shared/ids.js';
import { decodeCursor } from '../../shared/keyset.js';
import { toRow } from '../../realtime/rows.js';
import { currentStateEvents, messageAddedEvent } from './events.publish.js';
import { offerLiveSource } from '../../realtime/shared-rendering.js';
import { topics, type AccountEvent, type ConversationEvent, type MessageAddedEvent } from '../../realtime/topics.js';
import { EventStream, type StreamHandlers } from './event-stream.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { isStaffOf } from '../auth/viewer.js';
import { canSeeConversation } from '../conversations/conversations.policy.js';
import { Message } from '../messages/message.entity.js';
import { bySeq } from '../messages/messages.service.js';

/**
 * How long a message that arrives ahead of its predecessor waits for it before the gap is read
 * from the database: concurrent senders commit in seq order but may publish out of it, and
 * waiting a moment spares every subscriber a query.
 */
export const reorderWaitMs = 150;

/**
 * A subscriber's stream of one topic (see event-stream.ts), offered to the websocket transport to
 * render its events once per audience; the context lets go of what it loaded to set it up.
 */
function stream<E extends { type: string; publishedAt: number }>(ctx: Context, topic: string, handlers: StreamHandlers<E>): AsyncIterable<E> {
  const events = new EventStream<E>(ctx.deps, ctx.viewer, topic, handlers);
  offerLiveSource(ctx, events);
  releaseResources(ctx);
  return events;
}

/** A followed conversation, as a subscription keeps it: its ids, not an entity that would keep its unit of work alive. */
type Followed = { id: string; accountId: string };

/** The persisted messages after `afterSeq`, as MessageAdded events, in seq order. */
async function* persistedAfter(em: EntityManager, conversation: Followed, afterSeq: number, untilSeq = Number.MAX_SAFE_INTEGER) {
  const current = await em.findOne(Conversation, { id: conversation.id, accountId: conversation.accountId });
  if (!current) return;
  const row = toRow(current);
  let last = afterSeq;
  for (;;) {
    const page = await em.find(
      Message,
      { accountId: conversation.accountId, conversationId: conversation.id, seq: { $gt: last, $lte: untilSeq } },
      { orderBy: { seq: 'asc' }, limit: 100 },
    );
    for (const message of page) {
      yield messageAddedEvent(message, row);
      last = message.seq;
    }
    if (page.length < 100) return;
  }
}

/**
 * One conversation's events. With `after` (a message cursor) it first replays every later
 * persisted message and the conversation's current status and read positions, then goes live; a message arriving ahead of its predecessor is held
 * until the gap closes (or, after a moment, is read from the database), and anything at or
 * below the last seq sent is dropped, so there is no gap and no duplicate.
 */
export async function conversationEvents(ctx: Context, conversationGlobalId: string, after: string | null | undefined) {
  const parsed = parseGlobalId(conversationGlobalId);
  const found = parsed?.typename === 'Conversation' ? await ctx.loaders.conversation.load(parsed.id) : null;
  if (!found || !canSeeConversation(ctx.viewer, found)) {
    throw new ForbiddenError('You may not follow this conversation.');
  }
  const afterSeq = after ? Number(decodeCursor(after, bySeq, 'after')[0]) : null;
  const follower = new ConversationFollower(ctx.deps, { id: found.id, accountId: found.accountId }, afterSeq);
  return stream<ConversationEvent>(ctx, topics.conversation(found.id), follower);
}

/** One subscriber's place in one conversation: the last seq it was sent, and what arrived ahead of it. */
class ConversationFollower implements StreamHandlers<ConversationEvent> {
  private lastSeq = 0;
  /** messages that arrived before their predecessors, by seq */
  private ahead: Map<number, MessageAddedEvent> | null = null;
  private waiting = false;

  constructor(
    private readonly deps: Pick<Context['deps'], 'orm'>,
    private readonly conversation: Followed,
    private readonly afterSeq: number | null,
  ) {}

  /** a unit of work only while reading, not one held for as long as the subscription is open */
  private em() {
    return this.deps.orm.em.fork() as EntityManager;
  }

  async start(stream: EventStream<ConversationEvent>) {
    const { id, accountId } = this.conversation;
    if (this.afterSeq === null) {
      const [row] = await this.em().execute<{ last_seq: number }[]>('select last_seq from conversations where id = ? and account_id = ?', [id, accountId]);
      this.lastSeq = row?.last_seq ?? 0;
      return;
    }
    this.lastSeq = this.afterSeq;
    for await (const event of persistedAfter(this.em(), this.conversation, this.afterSeq)) {
      await stream.push(event);
      this.lastSeq = Number(event.message.seq);
    }
    // then where the conversation stands: a read or a status change made while away is not lost
    const em = this.em();
    const current = await em.findOne(Conversation, { id, accountId });
    if (current) for (const event of await currentStateEvents(em, current)) await stream.push(event);
  }

  handle(event: ConversationEvent, stream: EventStream<ConversationEvent>): void | Promise<void> {
    if (event.type !== 'MessageAdded') return stream.push(event);
    const seq = Number(event.message.seq);
    // in order, as nearly always: straight through
    if (seq === this.lastSeq + 1 && !this.ahead?.size) {
      this.lastSeq = seq;
      return stream.push(event);
    }
    return this.hold(event, seq, stream);
  }

  /** A message out of order (or one already sent): held until its predecessors are sent, or dropped. */
  private async hold(event: MessageAddedEvent, seq: number, stream: EventStream<ConversationEvent>) {
    const ahead = (this.ahead ??= new Map());
    if (seq <= this.lastSeq || ahead.has(seq)) return;
    ahead.set(seq, event);
    await this.sendInOrder(stream);
    if (ahead.size > 0 && !this.waiting) {
      this.waiting = true;
      stream.later(reorderWaitMs, async () => {
        this.waiting = false;
        await this.fillGaps(stream);
      });
    }
  }

  /** Sends the messages held back that now follow on without a gap. */
  private async sendInOrder(stream: EventStream<ConversationEvent>) {
    const ahead = this.ahead!;
    for (let next = ahead.get(this.lastSeq + 1); next; next = ahead.get(this.lastSeq + 1)) {
      ahead.delete(this.lastSeq + 1);
      await stream.push(next);
      this.lastSeq += 1;
    }
  }

  /** The missing messages never came live: read them from the database, then send what was held. */
  private async fillGaps(stream: EventStream<ConversationEvent>) {
    const ahead = this.ahead!;
    while (ahead.size > 0) {
      const firstHeld = Math.min(...ahead.keys());
      for await (const missed of persistedAfter(this.em(), this.conversation, this.lastSeq, firstHeld - 1)) {
        await stream.push(missed);
        this.lastSeq = Number(missed.message.seq);
      }
      // if the database had fewer (cannot happen: a later seq commits after an earlier one), skip ahead
      this.lastSeq = Math.max(this.lastSeq, firstHeld - 1);
      await this.sendInOrder(stream);
    }
  }
}

/** Every event as it comes. */
const passThrough: StreamHandlers<AccountEvent> = { handle: (event, stream) => stream.push(event) };

/** The whole account's events, for its agents and API tokens. */
export function accountEvents(ctx: Context) {
  const viewer = ctx.viewer;
  if (viewer.kind === 'ANONYMOUS' || viewer.kind === 'VISITOR' || !isStaffOf(viewer, viewer.accountId)) {
    throw new ForbiddenError('Only agents and API tokens follow account events.');
  }
  return stream<AccountEvent>(ctx, topics.account(viewer.accountId), passThrough);
}
