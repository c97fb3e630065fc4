import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { Viewer } from './modules/auth/viewer.js';
import type { Presence } from './realtime/presence.js';
import { Account } from './modules/accounts/account.entity.js';
import { accountScope } from './modules/accounts/accounts.policy.js';
import { Agent } from './modules/agents/agent.entity.js';
import { agentScope } from './modules/agents/agents.policy.js';
import { ApiToken } from './modules/auth/token.entities.js';
import { apiTokenScope } from './modules/auth/auth.policy.js';
import { Visitor } from './modules/visitors/visitor.entity.js';
import { visitorScope } from './modules/visitors/visitors.policy.js';
import { Conversation } from './modules/conversations/conversation.entity.js';
import { conversationScope } from './modules/conversations/conversations.policy.js';
import { Message } from './modules/messages/message.entity.js';
import { messageScope } from './modules/messages/messages.policy.js';

/**
 * A batching loader that only ever reads rows inside the viewer's scope: the second wall
 * of authorization. An id outside it loads as null, exactly like an id that does not exist.
 */
function scopedLoader<T extends { id: string }>(em: EntityManager, entity: EntityName<T>, scope: FilterQuery<T> | null) {
  return new DataLoader<string, T | null>(async (ids) => {
    if (!scope) return ids.map(() => null);
    const rows = await em.find(entity, { $and: [{ id: { $in: [...ids] } }, scope] } as FilterQuery<T>);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Per-operation loaders, so a page of 50 rows costs one query per related type, not 50. */
export function createLoaders(em: EntityManager, viewer: Viewer, presence: Presence) {
  return {
    /** keyed `accountId:visitorId`: whether a widget socket of the visitor is open */
    visitorOnline: new DataLoader<string, boolean>(async (keys) => {
      const byAccount = new Map<string, string[]>();
      for (const key of keys) {
        const [accountId, id] = key.split(':') as [string, string];
        byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), id]);
      }
      const online = new Set<string>();
      for (const [accountId, ids] of byAccount) {
        for (const id of await presence.online('visitor', accountId, ids)) online.add(`${accountId}:${id}`);
      }
      return keys.map((key) => online.has(key));
    }),
    account: scopedLoader(em, Account, accountScope(viewer)),
    agent: scopedLoader(em, Agent, agentScope(viewer)),
    apiToken: scopedLoader(em, ApiToken, apiTokenScope(viewer)),
    visitor: scopedLoader(em, Visitor, visitorScope(viewer)),
    conversation: scopedLoader(em, Conversation, conversationScope(viewer)),
    message: scopedLoader(em, Message, messageScope(viewer)),
    /** keyed `conversationId:lastSeq`: the conversation's latest message, for a whole page in one query */
    lastMessage: new DataLoader<string, Message | null>(async (keys) => {
      if (!messageScope(viewer) || viewer.kind === 'ANONYMOUS') return keys.map(() => null);
      const pairs = keys.map((key) => key.split(':') as [string, string]);
      const rows = await em.execute<Record<string, unknown>[]>(
        `select m.* from unnest(array[?]::uuid[], array[?]::int[]) as k (conversation_id, seq)
           join messages m on m.account_id = ? and m.conversation_id = k.conversation_id and m.seq = k.seq`,
        [pairs.map(([id]) => id), pairs.map(([, seq]) => Number(seq)), viewer.accountId],
      );
      const byKey = new Map(rows.map((row) => [`${row.conversation_id as string}:${row.seq as number}`, em.map(Message, row)]));
      return keys.map((key) => byKey.get(key) ?? null);
    }),
    /**
     * keyed `conversationId:readSeq`: how many messages of the other side than the viewer's
     * came after the viewer's side's read position (see unreadSql)
     */
    unreadCount: new DataLoader<string, number>(async (keys) => {
      if (viewer.kind === 'ANONYMOUS') return keys.map(() => 0);
      const pairs = keys.map((key) => key.split(':') as [string, string]);
      const rows = await em.execute<{ conversation_id: string; after: number; unread: number }[]>(
        `select k.conversation_id, k.after, ${unreadSql(viewer, 'k.conversation_id', 'k.after', '?')} as unread
           from unnest(array[?]::uuid[], array[?]::int[]) as k (conversation_id, after)`,
        [viewer.accountId, pairs.map(([id]) => id), pairs.map(([, seq]) => Number(seq))],
      );
      const byKey = new Map(rows.map((row) => [`${row.conversation_id}:${row.after}`, Number(row.unread)]));
      return keys.map((key) => byKey.get(key) ?? 0);
    }),
  };
}

/**
 * SQL counting the messages the viewer's side has not read: for staff, the visitor's after the
 * agents' read position; for a visitor, the agents' and the system's after its own.
 */
export function unreadSql(viewer: Exclude<Viewer, { kind: 'ANONYMOUS' }>, conversationId: string, afterSeq: string, accountId: string) {
  const others = viewer.kind === 'VISITOR' ? "u.author_kind <> 'VISITOR'" : "u.author_kind = 'VISITOR'";
  return `(select count(*)::int from messages u
            where u.account_id = ${accountId} and u.conversation_id = ${conversationId} and u.seq > ${afterSeq} and ${others})`;
}

/** The read position `unreadCount` counts from, for the viewer's side. */
export function readSeqOf(viewer: Viewer, conversation: Conversation): number {
  return viewer.kind === 'VISITOR' ? conversation.visitorReadSeq : conversation.agentReadSeq;
}

export type Loaders = ReturnType<typeof createLoaders>;
