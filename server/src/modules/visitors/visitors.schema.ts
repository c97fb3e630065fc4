import { builder } from '../../builder.js';
import { isEntityOf } from '../../shared/entity-type.js';
import { keysetConnection, type SortKey } from '../../shared/keyset.js';
import { maxPageSize } from '../../shared/limits.js';
import { BadUserInputError } from '../../shared/errors.js';
import { AccountRef } from '../accounts/accounts.schema.js';
import { PageView, Visitor } from './visitor.entity.js';
import { canSeeTechnicalData, canSeeVisitor, visitorScope } from './visitors.policy.js';
import { pageViews, startVisitorSession, updateVisitor } from './visitors.service.js';
import type { Account } from '../accounts/account.entity.js';
import { WidgetSettingsRef } from '../widget/widget.schema.js';
import { widgetSettingsView } from '../widget/widget-settings.js';
import { agentsOnline } from '../widget/widget.service.js';

export const VisitorRef = builder.objectRef<Visitor>('Visitor');

const SoftwareRef = builder.objectRef<{ name?: string | null; version?: string | null }>('Software').implement({
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true }),
    version: t.exposeString('version', { nullable: true }),
  }),
});
const LocationRef = builder.objectRef<{ country?: string | null; city?: string | null }>('Location').implement({
  fields: (t) => ({
    country: t.exposeString('country', { nullable: true, description: 'ISO 3166-1 alpha-2 code.' }),
    city: t.exposeString('city', { nullable: true }),
  }),
});
const PageViewRef = builder.objectRef<PageView>('PageView').implement({
  fields: (t) => ({
    url: t.exposeString('url'),
    title: t.exposeString('title', { nullable: true }),
    referrer: t.exposeString('referrer', { nullable: true }),
    viewedAt: t.expose('viewedAt', { type: 'DateTime' }),
  }),
});

const staffOnly = { authScopes: (visitor: Visitor, _args: object, ctx: { viewer: Parameters<typeof canSeeTechnicalData>[0] }) => canSeeTechnicalData(ctx.viewer, visitor) };

builder.node(VisitorRef, {
  description: 'A website visitor.',
  id: { resolve: (visitor) => visitor.id },
  isTypeOf: isEntityOf('Visitor'),
  authScopes: (visitor, ctx) => canSeeVisitor(ctx.viewer, visitor),
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    online: t.boolean({
      description: 'True while a widget socket of this visitor is open, on any instance.',
      resolve: (v, _args, ctx) => ctx.loaders.visitorOnline.load(`${v.accountId}:${v.id}`),
    }),
    firstSeenAt: t.expose('firstSeenAt', { type: 'DateTime' }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime' }),
    ipAddress: t.exposeString('ipAddress', { nullable: true, ...staffOnly }),
    userAgent: t.exposeString('userAgent', { nullable: true, ...staffOnly }),
    browser: t.field({
      type: SoftwareRef,
      nullable: true,
      ...staffOnly,
      resolve: (v) => (v.browserName ? { name: v.browserName, version: v.browserVersion } : null),
    }),
    os: t.field({
      type: SoftwareRef,
      nullable: true,
      ...staffOnly,
      resolve: (v) => (v.osName ? { name: v.osName, version: v.osVersion } : null),
    }),
    location: t.field({
      type: LocationRef,
      nullable: true,
      ...staffOnly,
      resolve: (v) => (v.country || v.city ? { country: v.country, city: v.city } : null),
    }),
    pageViews: t.field({
      type: [PageViewRef],
      description: 'Pages viewed, newest first.',
      // Nullable like the other staff-only fields, so the visitor itself still gets its own record.
      nullable: true,
      ...staffOnly,
      args: { first: t.arg.int({ required: false, defaultValue: 20 }) },
      resolve: (visitor, { first }, ctx) => {
        if (first == null || first < 0 || first > maxPageSize) {
          throw new BadUserInputError('first', `first must be between 0 and ${maxPageSize}.`);
        }
        return pageViews(ctx, visitor, first);
      },
    }),
  }),
});

export const VisitorConnection = builder.connectionObject({ type: VisitorRef, name: 'VisitorConnection' }, { name: 'VisitorEdge' });

const recentFirst: SortKey<Visitor>[] = [
  { field: 'lastSeenAt', type: 'date', dir: 'desc' },
  { field: 'id', type: 'string', dir: 'desc' },
];

builder.objectField(AccountRef, 'visitors', (t) =>
  t.connection(
    {
      type: VisitorRef,
      description: 'Most recently seen first.',
      args: { online: t.arg.boolean({ required: false }) },
      resolve: async (account, args, ctx) => {
        const scope = { $and: [visitorScope(ctx.viewer) ?? { id: null }, { accountId: account.id }] };
        if (args.online == null) return keysetConnection(ctx.em, Visitor, scope, recentFirst, args);
        const online = await ctx.deps.realtime.presence.onlineIn('visitor', account.id);
        const presence = args.online ? { id: { $in: online } } : { id: { $nin: online } };
        return keysetConnection(ctx.em, Visitor, { $and: [scope, presence] }, recentFirst, args);
      },
    },
    VisitorConnection,
  ),
);

const StartVisitorSessionInput = builder.inputType('StartVisitorSessionInput', {
  fields: (t) => ({
    widgetKey: t.string(),
    visitorToken: t.string({ required: false }),
    pageUrl: t.string({ required: false }),
    pageTitle: t.string({ required: false }),
    referrer: t.string({ required: false }),
  }),
});
const VisitorSessionPayload = builder
  .objectRef<{ visitorToken: string; visitor: Visitor; account: Account }>('VisitorSessionPayload')
  .implement({
    fields: (t) => ({
      visitorToken: t.exposeString('visitorToken', { description: 'Keep it: passing it again resumes this visitor.' }),
      visitor: t.field({ type: VisitorRef, resolve: (p) => p.visitor }),
      widget: t.field({ type: WidgetSettingsRef, description: "The account's widget settings.", resolve: (p) => widgetSettingsView(p.account) }),
      agentsOnline: t.boolean({
        description: 'Whether an agent of the account is ONLINE now; when not, the widget offers its offline form.',
        resolve: (p, _args, ctx) => agentsOnline(ctx, p.account.id),
      }),
    }),
  });
const UpdateVisitorInput = builder.inputType('UpdateVisitorInput', {
  fields: (t) => ({
    visitorId: t.id({ required: false }),
    name: t.string({ required: false }),
    email: t.string({ required: false }),
  }),
});

builder.mutationFields((t) => ({
  startVisitorSession: t.field({
    type: VisitorSessionPayload,
    description: "The widget's first call on each page load. Anonymous callers may call it. Limited per client IP address (RATE_LIMITED).",
    args: { input: t.arg({ type: StartVisitorSessionInput }) },
    resolve: (_root, { input }, ctx) => startVisitorSession(ctx, input),
  }),
  updateVisitor: t.field({
    type: VisitorRef,
    authScopes: { $any: { visitor: true, staff: true } },
    args: { input: t.arg({ type: UpdateVisitorInput }) },
    resolve: (_root, { input }, ctx) => updateVisitor(ctx, input),
  }),
}));
