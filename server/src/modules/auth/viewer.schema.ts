import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { builder } from '../../builder.js';
import { Account } from '../accounts/account.entity.js';
import { AccountRef } from '../accounts/accounts.schema.js';
import { AgentRef } from '../agents/agents.schema.js';
import { VisitorRef } from '../visitors/visitors.schema.js';
import type { Viewer } from './viewer.js';

/** Account fields that need nothing of the account but its id. */
const accountFieldsOfItsId = new Set(['__typename', 'id', 'agents', 'apiTokens', 'conversations', 'visitors']);

/** Whether the query selects nothing under this field but `allowed` ones (through fragments too). */
function selectsOnly(info: GraphQLResolveInfo, allowed: Set<string>): boolean {
  const within = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).every((selection) => {
      if (selection.kind === Kind.FIELD) return allowed.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return within(selection.selectionSet);
      const fragment = info.fragments[selection.name.value];
      return fragment !== undefined && within(fragment.selectionSet);
    });
  return info.fieldNodes.every((node) => within(node.selectionSet));
}

const ViewerKindEnum = builder.enumType('ViewerKind', { values: ['ANONYMOUS', 'AGENT', 'API_TOKEN', 'VISITOR'] as const });

const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'The caller, as the token sent with the request makes it.',
  fields: (t) => ({
    kind: t.field({ type: ViewerKindEnum, resolve: (v) => v.kind }),
    agent: t.field({
      type: AgentRef,
      nullable: true,
      resolve: (v, _args, ctx) => (v.kind === 'AGENT' ? ctx.loaders.agent.load(v.agentId) : null),
    }),
    account: t.field({
      type: AccountRef,
      nullable: true,
      description: 'For agents and API tokens.',
      resolve: (v, _args, ctx, info) => {
        if (v.kind !== 'AGENT' && v.kind !== 'API_TOKEN') return null;
        // The inbox asks `viewer { account { conversations } }`: the viewer already knows the id
        return selectsOnly(info, accountFieldsOfItsId) ? ctx.em.getReference(Account, v.accountId) : ctx.loaders.account.load(v.accountId);
      },
    }),
    visitor: t.field({
      type: VisitorRef,
      nullable: true,
      resolve: (v, _args, ctx) => (v.kind === 'VISITOR' ? ctx.loaders.visitor.load(v.visitorId) : null),
    }),
  }),
});

builder.queryField('viewer', (t) => t.field({ type: ViewerRef, resolve: (_root, _args, ctx) => ctx.viewer }));
