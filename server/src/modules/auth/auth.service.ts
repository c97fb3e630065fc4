import { newId } from '../../shared/uuid.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { actAs, type Context } from '../../context.js';
import { NotFoundError, UnauthenticatedError } from '../../shared/errors.js';
import { email, parseInput, password, text } from '../../shared/validation.js';
import { Agent } from '../agents/agent.entity.js';
import { AgentSession, ApiToken } from './token.entities.js';
import { hashToken, newToken, tokenKind, verifyPassword } from './secrets.js';
import { assertNotLimited, recordFailure } from './rate-limits.js';
import { anonymous, type Viewer } from './viewer.js';
import type { ViewerCache } from './viewer-cache.js';
import type { AgentRole } from '../agents/agent.entity.js';

const sessionLifetimeMs = 30 * 24 * 3600 * 1000;

/**
 * Turns an Authorization header into a viewer; a bad, expired or revoked token is refused.
 * With a cache (HTTP requests pass the instance's), a token resolved a moment ago costs no
 * query; see viewer-cache.ts for how revocation keeps that safe.
 */
export async function resolveViewer(em: EntityManager, authorization: string | null | undefined, cache?: ViewerCache): Promise<Viewer> {
  if (!authorization) return anonymous;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".');
  const token = match[1]!;
  const hash = hashToken(token);
  const cached = cache?.get(hash);
  if (cached) return cached;
  const since = cache?.generation() ?? 0;
  const found = await lookUpToken(em, token, hash);
  if (!found) throw new UnauthenticatedError();
  cache?.set(hash, found.viewer, since, found.expiresAt);
  return found.viewer;
}

async function lookUpToken(em: EntityManager, token: string, hash: string): Promise<{ viewer: Viewer; expiresAt?: Date } | null> {
  const connection = em.getConnection();
  switch (tokenKind(token)) {
    case 'session': {
      const [row] = await connection.execute<{ id: string; account_id: string; agent_id: string; role: AgentRole; expires_at: Date }[]>(
        `select s.id, s.account_id, s.agent_id, a.role, s.expires_at from agent_sessions s
           join agents a on a.id = s.agent_id and a.account_id = s.account_id and a.removed_at is null
          where s.token_hash = ? and s.expires_at > now()`,
        [hash],
      );
      if (!row) return null;
      const viewer: Viewer = { kind: 'AGENT', accountId: row.account_id, agentId: row.agent_id, role: row.role, sessionId: row.id };
      return { viewer, expiresAt: new Date(row.expires_at) };
    }
    case 'apiToken': {
      const [row] = await connection.execute<{ id: string; account_id: string; stale: boolean }[]>(
        `select id, account_id, (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
           from api_tokens where token_hash = ? and revoked_at is null`,
        [hash],
      );
      if (!row) return null;
      // "last used" is shown to admins to a minute's precision: no write on every request (nor
      // on every lookup, with the cache in front)
      if (row.stale) await connection.execute('update api_tokens set last_used_at = now() where id = ?', [row.id]);
      return { viewer: { kind: 'API_TOKEN', accountId: row.account_id, apiTokenId: row.id } };
    }
    case 'visitor': {
      const [row] = await connection.execute<{ id: string; account_id: string }[]>(
        'select id, account_id from visitors where token_hash = ?',
        [hash],
      );
      if (!row) return null;
      return { viewer: { kind: 'VISITOR', accountId: row.account_id, visitorId: row.id } };
    }
    default:
      return null;
  }
}

/** Opens a session for an agent in `em`'s unit of work; the token is returned once and stored hashed. */
export function openSession(em: EntityManager, agent: Agent): { token: string; session: AgentSession } {
  const token = newToken('session');
  const session = em.create(AgentSession, {
    id: newId(),
    accountId: agent.accountId,
    agentId: agent.id,
    tokenHash: hashToken(token),
    expiresAt: new Date(Date.now() + sessionLifetimeMs),
  });
  return { token, session };
}

/** The rest of the operation acts as the agent whose session was just opened. */
export async function actAsAgent(ctx: Context, agent: Agent, session: AgentSession) {
  await actAs(ctx, { kind: 'AGENT', accountId: agent.accountId, agentId: agent.id, role: agent.role, sessionId: session.id });
}

/** Opens a session for an agent and acts as it; the token is shown once. */
export async function signedIn(ctx: Context, agent: Agent): Promise<{ token: string; agent: Agent }> {
  const { token, session } = openSession(ctx.em, agent);
  await ctx.em.flush();
  await actAsAgent(ctx, agent, session);
  return { token, agent };
}

const signInInput = z.object({ email, password: z.string().min(1, 'must not be empty').max(200) });

/** Email and password sign-in, rate limited per email and per client IP. */
export async function signIn(ctx: Context, input: unknown) {
  const { email: address, password: secret } = parseInput(signInInput, input);
  const { signInByEmail, signInByIp } = ctx.deps.rateLimits;
  const checks: [typeof signInByEmail, string][] = [[signInByEmail, address]];
  if (ctx.client.ip) checks.push([signInByIp, ctx.client.ip]);
  await assertNotLimited(checks);
  const agent = await ctx.em.findOne(Agent, { email: address, removedAt: null });
  const ok = await verifyPassword(agent?.passwordHash ?? null, secret);
  if (!agent || !ok) {
    await recordFailure(checks);
    throw new UnauthenticatedError('Wrong email or password.');
  }
  await signInByEmail.delete(address);
  return signedIn(ctx, agent);
}

/** Ends the caller's own session: its token stops working at once. */
export async function signOut(ctx: Context): Promise<boolean> {
  if (ctx.viewer.kind !== 'AGENT') return false;
  await ctx.em.nativeDelete(AgentSession, { id: ctx.viewer.sessionId, accountId: ctx.viewer.accountId });
  await ctx.deps.realtime.revoke({ kind: 'session', id: ctx.viewer.sessionId });
  return true;
}

const createApiTokenInput = z.object({ name: text(100) });

/** Creates an integrator's token for the caller's account; the secret is returned only here. */
export async function createApiToken(ctx: Context, input: unknown) {
  const { name } = parseInput(createApiTokenInput, input);
  const viewer = ctx.viewer;
  if (viewer.kind !== 'AGENT') throw new UnauthenticatedError();
  const token = newToken('apiToken');
  const apiToken = ctx.em.create(ApiToken, { id: newId(),
    accountId: viewer.accountId,
    name,
    tokenHash: hashToken(token),
    createdByAgentId: viewer.agentId,
  });
  await ctx.em.flush();
  return { token, apiToken };
}

/** Revokes an API token of the caller's account; it stops working on the next request. */
export async function revokeApiToken(ctx: Context, apiTokenId: string): Promise<boolean> {
  const token = await ctx.loaders.apiToken.load(apiTokenId);
  if (!token) throw new NotFoundError('API token');
  if (!token.revokedAt) {
    token.revokedAt = new Date();
    await ctx.em.flush();
  }
  await ctx.deps.realtime.revoke({ kind: 'apiToken', id: token.id });
  return true;
}
