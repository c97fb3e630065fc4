import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../shared/logger.js';
import { newId } from '../../shared/uuid.js';

/** The advisory lock that lets one instance at a time apply retention. */
const retentionLockKey = 0x6c63_7274; // "lcrt"

export type RetentionResult = {
  accounts: number;
  conversations: number;
  messages: number;
  visitors: number;
  /** the visitors deleted, whose sessions must end */
  visitorIds: string[];
};

/**
 * Applies every account's retention setting: closed conversations whose last activity is older
 * than the account's retention_days go (with their messages), then visitors not seen for that
 * long who have no conversation left. Safe on any number of instances at once: the work runs
 * under a transaction-level advisory lock that the others skip (answering null), and each
 * statement only deletes what is still past its date, so running it twice deletes nothing more.
 */
export async function applyRetention(em: EntityManager, now = new Date()): Promise<RetentionResult | null> {
  return em.transactional(async (tx) => {
    const [lock] = await tx.execute<{ locked: boolean }[]>('select pg_try_advisory_xact_lock(?) as locked', [retentionLockKey]);
    if (!lock?.locked) return null;
    const accounts = await tx.execute<{ id: string; retention_days: number }[]>(
      'select id, retention_days from accounts where retention_days is not null',
    );
    const total: RetentionResult = { accounts: 0, conversations: 0, messages: 0, visitors: 0, visitorIds: [] };
    for (const account of accounts) {
      const cutoff = new Date(now.getTime() - account.retention_days * 86_400_000);
      // a conversation's messages go with it (foreign key cascade); seq is gapless from 1, so last_seq counts them
      const [purged] = await tx.execute<{ conversations: number; messages: number }[]>(
        `with gone as (
           delete from conversations
            where account_id = ? and status = 'CLOSED' and last_activity_at < ?
            returning id, last_seq
         )
         select count(*)::int as conversations, coalesce(sum(last_seq), 0)::int as messages from gone`,
        [account.id, cutoff],
      );
      const left = await tx.execute<{ id: string }[]>(
        `delete from visitors v
          where v.account_id = ? and v.last_seen_at < ?
            and not exists (select 1 from conversations c where c.account_id = v.account_id and c.visitor_id = v.id)
          returning v.id`,
        [account.id, cutoff],
      );
      const counts = { conversations: purged!.conversations, messages: purged!.messages, visitors: left.length };
      total.visitorIds.push(...left.map((row) => row.id));
      if (counts.conversations + counts.visitors === 0) continue;
      await tx.execute(
        `update audit_log set subject_id = null
          where account_id = ? and subject_id is not null
            and not exists (select 1 from visitors v where v.account_id = audit_log.account_id and v.id = audit_log.subject_id)`,
        [account.id],
      );
      await tx.execute(
        `insert into audit_log (id, account_id, action, actor_kind, actor_name, details, created_at)
         values (?, ?, 'RETENTION_APPLIED', 'SYSTEM', 'Retention', ?::jsonb, ?)`,
        [newId(), account.id, JSON.stringify({ ...counts, retentionDays: account.retention_days, before: cutoff.toISOString() }), now],
      );
      total.accounts += 1;
      total.conversations += counts.conversations;
      total.messages += counts.messages;
      total.visitors += counts.visitors;
    }
    return total;
  });
}

/** Runs retention now and then every `intervalMs`, on this instance; `stop` ends the schedule. */
export function scheduleRetention(em: EntityManager, logger: Logger, intervalMs: number, revokeVisitor: (id: string) => Promise<void>) {
  let running: Promise<unknown> | null = null;
  const run = () => {
    if (running) return;
    running = applyRetention(em.fork() as EntityManager)
      .then(async (result) => {
        if (!result || result.accounts === 0) return;
        const { visitorIds, ...counts } = result;
        logger.info({ retention: counts }, 'retention applied');
        // a deleted visitor's token must stop working at once, on every instance
        for (const id of visitorIds) await revokeVisitor(id);
      })
      .catch((error: unknown) => logger.error({ err: error }, 'retention failed'))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(run, Math.min(intervalMs, 30_000));
  const timer = setInterval(run, intervalMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
