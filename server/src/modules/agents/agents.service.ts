import { newId } from '../../shared/uuid.js';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../shared/errors.js';
import { AgentSession } from '../auth/token.entities.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { email, names, optionalText, parseInput, password, text } from '../../shared/validation.js';
import { signedIn } from '../auth/auth.service.js';
import { hashPassword, hashToken, newToken } from '../auth/secrets.js';
import { Agent, agentRoles, presenceStatuses, type PresenceStatus } from './agent.entity.js';
import { canManageTeam } from './agents.policy.js';
import { agentUpdated } from '../events/events.publish.js';

const inviteLifetimeMs = 7 * 24 * 3600 * 1000;

const inviteInput = z.object({ name: text(100), email, role: z.enum(agentRoles) });

/** OWNER/ADMIN add an agent; the agent sets a password by accepting the returned invite token. */
export async function inviteAgent(ctx: Context, input: unknown) {
  const data = parseInput(inviteInput, input);
  const viewer = ctx.viewer;
  if (viewer.kind !== 'AGENT' || !canManageTeam(viewer)) throw new ForbiddenError('Only owners and admins can invite.');
  if (data.role === 'OWNER' && viewer.role !== 'OWNER') {
    throw new ForbiddenError('Only an owner can invite another owner.');
  }
  const inviteToken = newToken('invite');
  const agent = ctx.em.create(Agent, { id: newId(),
    accountId: viewer.accountId,
    name: data.name,
    email: data.email,
    role: data.role,
    inviteTokenHash: hashToken(inviteToken),
    inviteExpiresAt: new Date(Date.now() + inviteLifetimeMs),
  });
  try {
    await ctx.em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new ConflictError('input.email', 'An agent with this email already exists.');
    }
    throw error;
  }
  return { agent, inviteToken };
}

const acceptInput = z.object({ inviteToken: z.string().min(1, 'must not be empty').max(200), password });

/** The invited agent sets a password and is signed in; the invite works once. */
export async function acceptInvite(ctx: Context, input: unknown) {
  const data = parseInput(acceptInput, input);
  const agent = await ctx.em.findOne(Agent, {
    inviteTokenHash: hashToken(data.inviteToken),
    inviteExpiresAt: { $gt: new Date() },
    removedAt: null,
  });
  if (!agent) throw new NotFoundError('Invitation');
  agent.passwordHash = await hashPassword(data.password);
  agent.inviteTokenHash = null;
  agent.inviteExpiresAt = null;
  await ctx.em.flush();
  await agentUpdated(ctx.deps, agent);
  return signedIn(ctx, agent);
}

const profileInput = z.object({
  name: text(100).optional(),
  jobTitle: optionalText(100),
  motto: optionalText(200),
});

async function currentAgent(ctx: Context): Promise<Agent> {
  if (ctx.viewer.kind !== 'AGENT') throw new UnauthenticatedError('Only agents have a profile.');
  const agent = await ctx.loaders.agent.load(ctx.viewer.agentId);
  if (!agent) throw new UnauthenticatedError();
  return agent;
}

/** An agent edits its own name, job title and motto (shown to visitors in the widget). */
export async function updateProfile(ctx: Context, input: unknown) {
  const data = parseInput(profileInput, input);
  const agent = await currentAgent(ctx);
  if (data.name !== undefined) agent.name = data.name;
  if (names(input, 'jobTitle')) agent.jobTitle = data.jobTitle;
  if (names(input, 'motto')) agent.motto = data.motto;
  await ctx.em.flush();
  await agentUpdated(ctx.deps, agent);
  return agent;
}

/** An agent sets its own presence. */
export async function setPresence(ctx: Context, status: PresenceStatus) {
  const parsed = parseInput(z.enum(presenceStatuses), status, 'status');
  const agent = await currentAgent(ctx);
  agent.status = parsed;
  await ctx.em.flush();
  await agentUpdated(ctx.deps, agent);
  return agent;
}

/**
 * OWNER/ADMIN take an agent off the team: it can no longer sign in, its sessions end and its
 * sockets close on every instance, its open conversations become unassigned. Its messages stay.
 */
export async function removeAgent(ctx: Context, agentId: string) {
  const viewer = ctx.viewer;
  if (viewer.kind !== 'AGENT' || !canManageTeam(viewer)) throw new ForbiddenError('Only owners and admins remove agents.');
  const agent = await ctx.loaders.agent.load(agentId);
  if (!agent || agent.removedAt) throw new NotFoundError('Agent');
  if (agent.id === viewer.agentId) throw new BadUserInputError('id', 'id: you cannot remove yourself.');
  if (agent.role === 'OWNER' && viewer.role !== 'OWNER') throw new ForbiddenError('Only an owner can remove an owner.');
  await ctx.em.transactional(async (tx) => {
    await tx.nativeUpdate(Agent, { id: agent.id, accountId: agent.accountId }, { removedAt: new Date(), status: 'OFFLINE', inviteTokenHash: null });
    await tx.nativeDelete(AgentSession, { agentId: agent.id, accountId: agent.accountId });
    await tx.nativeUpdate(Conversation, { accountId: agent.accountId, assigneeId: agent.id, status: { $ne: 'CLOSED' } }, { assigneeId: null });
  });
  await ctx.em.refresh(agent);
  await ctx.deps.realtime.revoke({ kind: 'agent', id: agent.id });
  await agentUpdated(ctx.deps, agent);
  return agent;
}
