import { builder } from '../../builder.js';
import { isEntityOf } from '../../shared/entity-type.js';
import { Account, plans } from './account.entity.js';
import { canSeeAccount, canSeeBilling } from './accounts.policy.js';
import { updateBillingProfile } from './accounts.service.js';

export const AccountRef = builder.objectRef<Account>('Account');
export const PlanEnum = builder.enumType('Plan', { values: plans });

const BillingProfileRef = builder.objectRef<Account>('BillingProfile').implement({
  description: 'Who the invoices are for. There is no payment card field: card data is never stored.',
  fields: (t) => ({
    companyName: t.exposeString('billingCompanyName', { nullable: true }),
    vatId: t.exposeString('billingVatId', { nullable: true }),
    billingEmail: t.exposeString('billingEmail', { nullable: true }),
    plan: t.expose('plan', { type: PlanEnum }),
  }),
});

builder.node(AccountRef, {
  description: 'A company using the product.',
  id: { resolve: (account) => account.id },
  isTypeOf: isEntityOf('Account'),
  authScopes: (account, ctx) => canSeeAccount(ctx.viewer, account),
  fields: (t) => ({
    name: t.exposeString('name'),
    widgetKey: t.exposeString('widgetKey', { description: 'The public key in the widget embed code.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    billingProfile: t.field({
      type: BillingProfileRef,
      nullable: true,
      description: 'Visible to OWNER and ADMIN agents.',
      authScopes: (account, _args, ctx) => canSeeBilling(ctx.viewer, account),
      resolve: (account) => account,
    }),
  }),
});

const UpdateBillingProfileInput = builder.inputType('UpdateBillingProfileInput', {
  fields: (t) => ({
    companyName: t.string({ required: false }),
    vatId: t.string({ required: false }),
    billingEmail: t.string({ required: false }),
    plan: t.field({ type: PlanEnum, required: false }),
  }),
});

builder.mutationField('updateBillingProfile', (t) =>
  t.field({
    type: BillingProfileRef,
    description: 'OWNER only.',
    authScopes: { owner: true },
    args: { input: t.arg({ type: UpdateBillingProfileInput }) },
    resolve: (_root, { input }, ctx) => updateBillingProfile(ctx, input),
  }),
);
