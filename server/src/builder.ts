import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import RelayPlugin from '@pothos/plugin-relay';
import ComplexityPlugin from '@pothos/plugin-complexity';
import type { Context } from './context.js';
import { ForbiddenError, UnauthenticatedError } from './shared/errors.js';
import { defaultPageSize, maxPageSize } from './shared/limits.js';
import { isAdmin, isOwner, isStaff } from './modules/auth/viewer.js';

/** Coarse rules by kind of caller; per-record rules live in each module's policy. */
export type AuthScopes = {
  authenticated: boolean;
  agent: boolean;
  staff: boolean;
  admin: boolean;
  owner: boolean;
  visitor: boolean;
};

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ScopeAuthPlugin, ComplexityPlugin, RelayPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: ({ viewer }) => ({
      authenticated: viewer.kind !== 'ANONYMOUS',
      agent: viewer.kind === 'AGENT',
      staff: isStaff(viewer),
      admin: isAdmin(viewer),
      owner: isOwner(viewer),
      visitor: viewer.kind === 'VISITOR',
    }),
    unauthorizedError: (_parent, context) =>
      context.viewer.kind === 'ANONYMOUS'
        ? new UnauthenticatedError('Sign in or pass a token to do this.')
        : new ForbiddenError(),
  },
  // Field costs only; the limit is checked while validating, with the variables (graphql/cost-limit.ts).
  complexity: {
    fieldComplexity: (args, _ctx, field) => {
      if (!field.args.some((arg) => arg.name === 'first' || arg.name === 'last')) return { field: 1, multiplier: 1 };
      const size = Number(args.first ?? args.last ?? defaultPageSize);
      return { field: 1, multiplier: Math.min(Math.max(size, 1), maxPageSize) };
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

builder.queryType({});
builder.mutationType({});
