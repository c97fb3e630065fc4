import type { FilterQuery } from '@mikro-orm/core';
import type { Context } from '../../context.js';
import { isAdmin, isStaffOf, type Viewer } from '../auth/viewer.js';
import type { Agent } from './agent.entity.js';

type PolicyContext = Pick<Context, 'viewer' | 'em' | 'policyCache'>;

/** Staff see their account's agents; a visitor may reach its account's agents, narrowed by canSeeAgent. */
export function agentScope(viewer: Viewer): FilterQuery<Agent> | null {
  if (viewer.kind === 'ANONYMOUS') return null;
  return { accountId: viewer.accountId };
}

/** A visitor sees only the agents who took part in one of its conversations. */
export async function canSeeAgent(ctx: PolicyContext, agent: Agent): Promise<boolean> {
  const { viewer } = ctx;
  if (isStaffOf(viewer, agent.accountId)) return true;
  if (viewer.kind !== 'VISITOR' || viewer.accountId !== agent.accountId) return false;
  const key = `agent-talks-to-visitor:${agent.id}`;
  let answer = ctx.policyCache.get(key);
  if (!answer) {
    answer = ctx.em
      .getConnection()
      .execute<{ found: number }[]>(
        `select 1 as found from conversations c
          where c.account_id = ? and c.visitor_id = ?
            and (c.assignee_id = ? or exists (
              select 1 from messages m where m.account_id = c.account_id and m.conversation_id = c.id and m.agent_id = ?))
          limit 1`,
        [viewer.accountId, viewer.visitorId, agent.id, agent.id],
      )
      .then((rows) => rows.length > 0);
    ctx.policyCache.set(key, answer);
  }
  return answer;
}

/** Email and role are for the account's staff only. */
export const canSeeAgentPrivate = (viewer: Viewer, agent: Agent) => isStaffOf(viewer, agent.accountId);

/** OWNER and ADMIN invite agents and manage API tokens. */
export const canManageTeam = (viewer: Viewer) => isAdmin(viewer);
