import { builder } from './builder.js';
import type { Context } from './context.js';
import { parseGlobalId, type NodeTypeName } from './shared/ids.js';
import { canSeeAccount } from './modules/accounts/accounts.policy.js';
import { canSeeAgent } from './modules/agents/agents.policy.js';
import { canSeeApiToken } from './modules/auth/auth.policy.js';
import { canSeeVisitor } from './modules/visitors/visitors.policy.js';
import { canSeeConversation } from './modules/conversations/conversations.policy.js';
import { canSeeMessage } from './modules/messages/messages.policy.js';

type Lookup = (ctx: Context, id: string) => Promise<object | null>;

/** Loads through the viewer-scoped loaders, then asks the same policy the type's scopes ask. */
function lookup<T extends object>(
  load: (ctx: Context, id: string) => Promise<T | null>,
  visible: (ctx: Context, row: T) => boolean | Promise<boolean>,
): Lookup {
  return async (ctx, id) => {
    const row = await load(ctx, id);
    return row && (await visible(ctx, row)) ? row : null;
  };
}

const lookups: Record<NodeTypeName, Lookup> = {
  Account: lookup((ctx, id) => ctx.loaders.account.load(id), (ctx, row) => canSeeAccount(ctx.viewer, row)),
  Agent: lookup((ctx, id) => ctx.loaders.agent.load(id), canSeeAgent),
  ApiToken: lookup((ctx, id) => ctx.loaders.apiToken.load(id), (ctx, row) => canSeeApiToken(ctx.viewer, row)),
  Visitor: lookup((ctx, id) => ctx.loaders.visitor.load(id), (ctx, row) => canSeeVisitor(ctx.viewer, row)),
  Conversation: lookup((ctx, id) => ctx.loaders.conversation.load(id), (ctx, row) => canSeeConversation(ctx.viewer, row)),
  Message: lookup((ctx, id) => ctx.loaders.message.load(id), canSeeMessage),
};

builder.queryField('node', (t) =>
  t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'Any object by its global id; null for an id that does not exist or that the caller may not see.',
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, ctx) => {
      const parsed = parseGlobalId(id);
      if (!parsed || !(parsed.typename in lookups)) return null;
      return lookups[parsed.typename as NodeTypeName](ctx, parsed.id);
    },
  }),
);
