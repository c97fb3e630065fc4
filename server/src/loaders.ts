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
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
