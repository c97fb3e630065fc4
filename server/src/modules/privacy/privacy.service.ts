import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../shared/errors.js';
import { idOf, toGlobalId } from '../../shared/ids.js';
import { keysetConnection, type ConnectionArgs, type SortKey } from '../../shared/keyset.js';
import { newId } from '../../shared/uuid.js';
import { parseInput } from '../../shared/validation.js';
import { Account, ipHandlings } from '../accounts/account.entity.js';
import { Agent } from '../agents/agent.entity.js';
import { ApiToken } from '../auth/token.entities.js';
import { isAdmin, isOwner } from '../auth/viewer.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { Message } from '../messages/message.entity.js';
import { PageView, Visitor } from '../visitors/visitor.entity.js';
import { AuditEntry, type AuditAction } from './audit-entry.entity.js';

/** Who did it, as the audit log names them: the agent or API token of the caller. */
async function actor(ctx: Context): Promise<Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorName'>> {
  const viewer = ctx.viewer;
  if (viewer.kind === 'AGENT') {
    const agent = await ctx.em.findOneOrFail(Agent, { id: viewer.agentId, accountId: viewer.accountId });
    return { actorKind: 'AGENT', actorId: agent.id, actorName: `${agent.name} <${agent.email}>` };
  }
  if (viewer.kind === 'API_TOKEN') {
    const token = await ctx.em.findOneOrFail(ApiToken, { id: viewer.apiTokenId, accountId: viewer.accountId });
    return { actorKind: 'API_TOKEN', actorId: token.id, actorName: `API token "${token.name}"` };
  }
  throw new ForbiddenError();
}

/** Records one privacy-relevant act in the account's audit log, within the caller's unit of work. */
export function audit(
  em: EntityManager,
  accountId: string,
  who: Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorName'>,
  action: AuditAction,
  subjectId: string | null,
  details: Record<string, unknown>,
) {
  em.create(AuditEntry, { id: newId(), accountId, action, subjectId, details, ...who });
}

/** Exports and erasures are for OWNER and ADMIN agents of the visitor's account. */
function requireAdmin(ctx: Context): { accountId: string } {
  const viewer = ctx.viewer;
  if (viewer.kind !== 'AGENT' || !isAdmin(viewer)) throw new ForbiddenError('Only owners and admins export or erase visitor data.');
  return { accountId: viewer.accountId };
}

async function visitorOfAccount(ctx: Context, globalId: string, accountId: string) {
  const visitor = await ctx.em.findOne(Visitor, { id: idOf('Visitor', globalId, 'id'), accountId });
  if (!visitor) throw new NotFoundError('Visitor');
  return visitor;
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/**
 * Everything stored about one visitor, as one JSON document: the profile, the technical
 * data, every page view, every conversation with every message. The export is audited.
 */
export async function exportVisitor(ctx: Context, visitorGlobalId: string) {
  const { accountId } = requireAdmin(ctx);
  const visitor = await visitorOfAccount(ctx, visitorGlobalId, accountId);
  const em = ctx.em;
  const [pageViews, conversations] = await Promise.all([
    em.find(PageView, { accountId, visitorId: visitor.id }, { orderBy: { viewedAt: 'asc', id: 'asc' } }),
    em.find(Conversation, { accountId, visitorId: visitor.id }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
  ]);
  const messages = conversations.length
    ? await em.find(Message, { accountId, conversationId: { $in: conversations.map((c) => c.id) } }, { orderBy: { seq: 'asc' } })
    : [];
  const agentIds = [...new Set([...messages.map((m) => m.agentId), ...conversations.map((c) => c.assigneeId)].filter((id): id is string => !!id))];
  const agents = new Map((agentIds.length ? await em.find(Agent, { accountId, id: { $in: agentIds } }) : []).map((a) => [a.id, a.name]));
  const exportedAt = new Date();
  const document = {
    format: 'livechat.visitor-export.v1',
    exportedAt: exportedAt.toISOString(),
    visitor: {
      id: toGlobalId('Visitor', visitor.id),
      name: visitor.name,
      email: visitor.email,
      firstSeenAt: iso(visitor.firstSeenAt),
      lastSeenAt: iso(visitor.lastSeenAt),
    },
    technical: {
      ipAddress: visitor.ipAddress,
      userAgent: visitor.userAgent,
      browser: { name: visitor.browserName, version: visitor.browserVersion },
      os: { name: visitor.osName, version: visitor.osVersion },
      location: { country: visitor.country, city: visitor.city },
    },
    pageViews: pageViews.map((view) => ({ url: view.url, title: view.title, referrer: view.referrer, viewedAt: iso(view.viewedAt) })),
    conversations: conversations.map((conversation) => ({
      id: toGlobalId('Conversation', conversation.id),
      status: conversation.status,
      createdAt: iso(conversation.createdAt),
      assignee: conversation.assigneeId ? (agents.get(conversation.assigneeId) ?? null) : null,
      visitorReadSeq: conversation.visitorReadSeq,
      agentReadSeq: conversation.agentReadSeq,
      messages: messages
        .filter((message) => message.conversationId === conversation.id)
        .map((message) => ({
          seq: message.seq,
          authorKind: message.authorKind,
          agent: message.agentId ? (agents.get(message.agentId) ?? null) : null,
          body: message.body,
          clientMessageId: message.clientMessageId ?? null,
          createdAt: iso(message.createdAt),
        })),
    })),
  };
  audit(em, accountId, await actor(ctx), 'VISITOR_EXPORTED', visitor.id, {
    conversations: conversations.length,
    messages: messages.length,
    pageViews: pageViews.length,
  });
  await em.flush();
  return { exportedAt, document };
}

/**
 * Deletes a visitor and everything about them (page views, conversations, messages) in one
 * transaction, takes the visitor's id out of earlier audit entries, and closes their sockets
 * on every instance. What remains is an audit entry with who erased and the counts.
 */
export async function eraseVisitor(ctx: Context, visitorGlobalId: string) {
  const { accountId } = requireAdmin(ctx);
  const visitor = await visitorOfAccount(ctx, visitorGlobalId, accountId);
  const who = await actor(ctx);
  const counts = await ctx.em.transactional(async (tx) => {
    const conversations = await tx.find(Conversation, { accountId, visitorId: visitor.id }, { fields: ['id'] });
    const conversationIds = conversations.map((c) => c.id);
    const messages = conversationIds.length ? await tx.nativeDelete(Message, { accountId, conversationId: { $in: conversationIds } }) : 0;
    await tx.nativeDelete(Conversation, { accountId, visitorId: visitor.id });
    const pageViews = await tx.nativeDelete(PageView, { accountId, visitorId: visitor.id });
    await tx.nativeDelete(Visitor, { id: visitor.id, accountId });
    await tx.nativeUpdate(AuditEntry, { accountId, subjectId: visitor.id }, { subjectId: null });
    const erased = { conversations: conversationIds.length, messages, pageViews };
    audit(tx, accountId, who, 'VISITOR_ERASED', null, erased);
    return erased;
  });
  await ctx.deps.realtime.revoke({ kind: 'visitor', id: visitor.id });
  return counts;
}

const privacyInput = z.object({
  ipHandling: z.enum(ipHandlings).optional(),
  retentionDays: z.number().int().min(1, 'must be at least 1 day').max(3650, 'must be at most 3650 days').nullish(),
});

/** OWNER and ADMIN choose how much of an IP is kept and how long old chats are kept. Audited. */
export async function updatePrivacySettings(ctx: Context, input: unknown) {
  const data = parseInput(privacyInput, input);
  const { accountId } = requireAdmin(ctx);
  const account = await ctx.em.findOneOrFail(Account, { id: accountId });
  const before = { ipHandling: account.ipHandling, retentionDays: account.retentionDays ?? null };
  if (data.ipHandling) account.ipHandling = data.ipHandling;
  if (data.retentionDays !== undefined) account.retentionDays = data.retentionDays;
  const after = { ipHandling: account.ipHandling, retentionDays: account.retentionDays ?? null };
  if (JSON.stringify(before) === JSON.stringify(after)) return account;
  audit(ctx.em, accountId, await actor(ctx), 'PRIVACY_SETTINGS_CHANGED', null, { before, after });
  await ctx.em.transactional(async (tx) => {
    await tx.flush();
    // a stricter choice applies to the addresses already stored, not only to the next ones
    if (after.ipHandling === 'NONE') {
      await tx.nativeUpdate(Visitor, { accountId, ipAddress: { $ne: null } }, { ipAddress: null });
    } else if (after.ipHandling === 'TRUNCATED' && before.ipHandling === 'FULL') {
      await tx.execute(
        `update visitors set ip_address = host(network(set_masklen(ip_address::inet, case family(ip_address::inet) when 4 then 24 else 48 end)))
          where account_id = ? and ip_address is not null`,
        [accountId],
      );
    }
  });
  return account;
}

/**
 * The OWNER closes the account: the account and every row of it (agents, tokens, visitors,
 * conversations, messages, audit log) go in one transaction, and every socket of the account
 * closes on every instance. The account's name must be typed to confirm.
 */
export async function deleteAccount(ctx: Context, input: { accountName: string }) {
  const viewer = ctx.viewer;
  if (viewer.kind !== 'AGENT' || !isOwner(viewer)) throw new ForbiddenError('Only the owner can delete the account.');
  const account = await ctx.em.findOneOrFail(Account, { id: viewer.accountId });
  if (input.accountName.trim() !== account.name) {
    throw new BadUserInputError('input.accountName', "input.accountName: type the account's name exactly to confirm.");
  }
  // every table's foreign key to accounts cascades: one statement removes the whole tenant
  await ctx.em.transactional((tx) => tx.nativeDelete(Account, { id: account.id }));
  await ctx.deps.realtime.revoke({ kind: 'account', id: account.id });
  return true;
}

const newestFirst: SortKey<AuditEntry>[] = [
  { field: 'createdAt', type: 'date', dir: 'desc' },
  { field: 'id', type: 'string', dir: 'desc' },
];

/** The account's audit log, newest first. */
export function auditLog(ctx: Context, accountId: string, args: ConnectionArgs) {
  const viewer = ctx.viewer;
  const scope = viewer.kind === 'AGENT' && isAdmin(viewer) && viewer.accountId === accountId ? { accountId } : { id: null };
  return keysetConnection(ctx.em, AuditEntry, scope, newestFirst, args);
}
