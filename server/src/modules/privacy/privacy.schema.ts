import { builder } from '../../builder.js';
import { toGlobalId } from '../../shared/ids.js';
import type { Account } from '../accounts/account.entity.js';
import { AccountRef } from '../accounts/accounts.schema.js';
import { auditActions, auditActorKinds, type AuditEntry } from './audit-entry.entity.js';
import { auditLog, deleteAccount, eraseVisitor, exportVisitor, updatePrivacySettings } from './privacy.service.js';

builder.scalarType('JSON', {
  description: 'A JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

const IpHandlingEnum = builder.enumType('IpHandling', {
  description: "How much of a visitor's IP address is stored. The approximate location is looked up before.",
  values: {
    NONE: { description: 'Not stored.' },
    TRUNCATED: { description: 'IPv4 with the last octet zeroed, IPv6 with the last 80 bits zeroed (the default).' },
    FULL: { description: 'Stored in full.' },
  },
});

const PrivacySettingsRef = builder.objectRef<Account>('PrivacySettings').implement({
  fields: (t) => ({
    ipHandling: t.expose('ipHandling', { type: IpHandlingEnum }),
    retentionDays: t.int({
      nullable: true,
      description: 'Closed conversations and visitors inactive for longer are deleted; null keeps them.',
      resolve: (account) => account.retentionDays ?? null,
    }),
  }),
});

builder.objectField(AccountRef, 'privacySettings', (t) => t.field({ type: PrivacySettingsRef, resolve: (account) => account }));

const AuditActionEnum = builder.enumType('AuditAction', { values: auditActions });
const AuditActorKindEnum = builder.enumType('AuditActorKind', { values: auditActorKinds });

const AuditEntryRef = builder.objectRef<AuditEntry>('AuditEntry').implement({
  description: 'Who exported or erased what, and when.',
  fields: (t) => ({
    action: t.expose('action', { type: AuditActionEnum }),
    actorKind: t.expose('actorKind', { type: AuditActorKindEnum }),
    actorName: t.exposeString('actorName', { description: 'The agent or API token as it was named then.' }),
    visitorId: t.id({
      nullable: true,
      description: 'The visitor concerned; null once that visitor is erased.',
      resolve: (entry) => (entry.subjectId ? toGlobalId('Visitor', entry.subjectId) : null),
    }),
    details: t.field({ type: 'JSON', description: 'Counts and settings of the act.', resolve: (entry) => entry.details }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectField(AccountRef, 'auditLog', (t) =>
  t.connection(
    {
      type: AuditEntryRef,
      description: 'Visible to OWNER and ADMIN agents. Newest first.',
      nullable: true,
      authScopes: { admin: true },
      resolve: (account, args, ctx) => auditLog(ctx, account.id, args),
    },
    { name: 'AuditEntryConnection' },
    { name: 'AuditEntryEdge' },
  ),
);

const VisitorExportRef = builder.objectRef<{ exportedAt: Date; document: unknown }>('VisitorExport').implement({
  fields: (t) => ({
    exportedAt: t.expose('exportedAt', { type: 'DateTime' }),
    document: t.field({
      type: 'JSON',
      description: 'Everything stored about the visitor: profile, technical data, page views, conversations and messages.',
      resolve: (payload) => payload.document,
    }),
  }),
});

const EraseVisitorPayloadRef = builder
  .objectRef<{ conversations: number; messages: number; pageViews: number }>('EraseVisitorPayload')
  .implement({
    fields: (t) => ({
      erasedConversations: t.exposeInt('conversations'),
      erasedMessages: t.exposeInt('messages'),
      erasedPageViews: t.exposeInt('pageViews'),
    }),
  });

const UpdatePrivacySettingsInput = builder.inputType('UpdatePrivacySettingsInput', {
  description: 'Omitted fields stay as they are; retentionDays null keeps data without limit.',
  fields: (t) => ({
    ipHandling: t.field({ type: IpHandlingEnum, required: false }),
    retentionDays: t.int({ required: false }),
  }),
});

const DeleteAccountInput = builder.inputType('DeleteAccountInput', {
  fields: (t) => ({ accountName: t.string({ description: "The account's name, typed to confirm." }) }),
});

builder.mutationFields((t) => ({
  exportVisitor: t.field({
    type: VisitorExportRef,
    description: 'OWNER and ADMIN: everything stored about one visitor, as one JSON document. Recorded in the audit log.',
    authScopes: { admin: true },
    args: { id: t.arg.id() },
    resolve: (_root, args, ctx) => exportVisitor(ctx, args.id),
  }),
  eraseVisitor: t.field({
    type: EraseVisitorPayloadRef,
    description:
      'OWNER and ADMIN: deletes the visitor and everything about them in one transaction and closes their sockets. Recorded in the audit log (without the visitor).',
    authScopes: { admin: true },
    args: { id: t.arg.id() },
    resolve: (_root, args, ctx) => eraseVisitor(ctx, args.id),
  }),
  updatePrivacySettings: t.field({
    type: PrivacySettingsRef,
    description: 'OWNER and ADMIN. Recorded in the audit log.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdatePrivacySettingsInput }) },
    resolve: (_root, { input }, ctx) => updatePrivacySettings(ctx, input),
  }),
  deleteAccount: t.boolean({
    description: 'OWNER only: deletes the account and all its data, and closes all its sockets.',
    authScopes: { owner: true },
    args: { input: t.arg({ type: DeleteAccountInput }) },
    resolve: (_root, { input }, ctx) => deleteAccount(ctx, input),
  }),
}));
