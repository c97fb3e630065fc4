import { builder } from '../../builder.js';
import { isEntityOf } from '../../shared/entity-type.js';
import { idOf } from '../../shared/ids.js';
import { keysetConnection, type SortKey } from '../../shared/keyset.js';
import { AccountRef } from '../accounts/accounts.schema.js';
import { signUp } from '../accounts/accounts.service.js';
import { AuthPayloadRef } from '../agents/agents.schema.js';
import { apiTokenScope, canSeeApiToken } from './auth.policy.js';
import { createApiToken, revokeApiToken, signIn, signOut } from './auth.service.js';
import { ApiToken } from './token.entities.js';

export const ApiTokenRef = builder.objectRef<ApiToken>('ApiToken');

builder.node(ApiTokenRef, {
  description: "An integrator's credential. Its secret is shown once, when created.",
  id: { resolve: (token) => token.id },
  isTypeOf: isEntityOf('ApiToken'),
  authScopes: (token, ctx) => canSeeApiToken(ctx.viewer, token),
  fields: (t) => ({
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const newestFirst: SortKey<ApiToken>[] = [
  { field: 'createdAt', type: 'date', dir: 'desc' },
  { field: 'id', type: 'string', dir: 'desc' },
];

builder.objectField(AccountRef, 'apiTokens', (t) =>
  t.connection(
    {
      type: ApiTokenRef,
      description: 'Visible to OWNER and ADMIN agents.',
      // Nullable, so refusing it nulls this field alone and not the whole account.
      nullable: true,
      authScopes: { admin: true },
      resolve: (account, args, ctx) =>
        keysetConnection(ctx.em, ApiToken, { $and: [apiTokenScope(ctx.viewer) ?? { id: null }, { accountId: account.id }] }, newestFirst, args),
    },
    { name: 'ApiTokenConnection' },
    { name: 'ApiTokenEdge' },
  ),
);

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({ accountName: t.string(), name: t.string(), email: t.string(), password: t.string() }),
});
const SignInInput = builder.inputType('SignInInput', {
  fields: (t) => ({ email: t.string(), password: t.string() }),
});
const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', { fields: (t) => ({ name: t.string() }) });
const CreateApiTokenPayload = builder.objectRef<{ token: string; apiToken: ApiToken }>('CreateApiTokenPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The secret; shown only in this answer.' }),
    apiToken: t.field({ type: ApiTokenRef, resolve: (p) => p.apiToken }),
  }),
});

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayloadRef,
    description: 'Creates an account and its OWNER, signed in.',
    args: { input: t.arg({ type: SignUpInput }) },
    resolve: (_root, { input }, ctx) => signUp(ctx, input),
  }),
  signIn: t.field({
    type: AuthPayloadRef,
    description: 'After 10 failures for one email or IP within 15 minutes, answers RATE_LIMITED.',
    args: { input: t.arg({ type: SignInInput }) },
    resolve: (_root, { input }, ctx) => signIn(ctx, input),
  }),
  signOut: t.boolean({
    description: "Revokes the caller's session token.",
    authScopes: { agent: true },
    resolve: (_root, _args, ctx) => signOut(ctx),
  }),
  createApiToken: t.field({
    type: CreateApiTokenPayload,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateApiTokenInput }) },
    resolve: (_root, { input }, ctx) => createApiToken(ctx, input),
  }),
  revokeApiToken: t.boolean({
    authScopes: { admin: true },
    args: { id: t.arg.id() },
    resolve: (_root, { id }, ctx) => revokeApiToken(ctx, idOf('ApiToken', id, 'id')),
  }),
}));
