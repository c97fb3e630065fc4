import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps.js';
import type { PresenceKey } from '../../realtime/presence.js';
import type { TypingKey } from '../../realtime/typing.js';
import { Agent } from '../agents/agent.entity.js';
import type { AuthorKind } from '../messages/message.entity.js';
import { Visitor } from '../visitors/visitor.entity.js';
import { agentUpdated, typingChanged, visitorUpdated } from './events.publish.js';

/** The typing key's author part: who is typing, as `KIND:id`. */
export const typingAuthor = (authorKind: AuthorKind, id: string) => `${authorKind}:${id}`;

/**
 * An agent's last socket closing often means a reload or a navigation, with the next socket
 * a moment away: the agent drops to OFFLINE only if no socket of theirs came back meanwhile.
 */
export const agentOfflineGraceMs = 2000;

/**
 * Presence changes: a visitor coming online or going offline is announced to its account;
 * an agent whose last socket closed (and stayed closed for a grace period) drops to OFFLINE.
 */
export function presenceChanged(deps: () => Deps) {
  return (key: PresenceKey, online: boolean) => {
    const { orm, logger } = deps();
    const em = orm.em.fork() as EntityManager;
    const work = async () => {
      if (key.kind === 'visitor') {
        const visitor = await em.findOne(Visitor, { id: key.id, accountId: key.accountId });
        if (visitor) await visitorUpdated(deps(), visitor, online);
        return;
      }
      if (online) return;
      await new Promise((resolve) => setTimeout(resolve, agentOfflineGraceMs));
      if ((await deps().realtime.presence.online('agent', key.accountId, [key.id])).size > 0) return;
      const agent = await em.findOne(Agent, { id: key.id, accountId: key.accountId });
      if (!agent || agent.status === 'OFFLINE') return;
      agent.status = 'OFFLINE';
      await em.flush();
      await agentUpdated(deps(), agent);
    };
    work().catch((error: unknown) => logger.error({ err: error }, 'presence change failed'));
  };
}

/** A typing indicator nobody renewed turns itself off. */
export function typingExpired(deps: () => Deps) {
  return (key: TypingKey) => {
    const [authorKind, id] = key.author.split(':') as [AuthorKind, string];
    const em = deps().orm.em.fork() as EntityManager;
    typingChanged(deps(), em, { ...key, authorKind, agentId: authorKind === 'AGENT' ? id : null }, false).catch(
      (error: unknown) => deps().logger.error({ err: error }, 'typing expiry failed'),
    );
  };
}
