import { builder } from '../../builder.js';
import { AccountRef } from '../accounts/accounts.schema.js';
import { AgentRef } from '../agents/agents.schema.js';
import { VisitorRef } from '../visitors/visitors.schema.js';
import type { Viewer } from './viewer.js';

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
      resolve: (v, _args, ctx) => (v.kind === 'AGENT' || v.kind === 'API_TOKEN' ? ctx.loaders.account.load(v.accountId) : null),
    }),
    visitor: t.field({
      type: VisitorRef,
      nullable: true,
      resolve: (v, _args, ctx) => (v.kind === 'VISITOR' ? ctx.loaders.visitor.load(v.visitorId) : null),
    }),
  }),
});

builder.queryField('viewer', (t) => t.field({ type: ViewerRef, resolve: (_root, _args, ctx) => ctx.viewer }));
