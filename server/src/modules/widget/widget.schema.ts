import { builder } from '../../builder.js';
import { isStaffOf } from '../auth/viewer.js';
import { AccountRef } from '../accounts/accounts.schema.js';
import { preChatFieldNames, widgetLanguages, widgetPositions, widgetSettingsView, type WidgetSettings, type WidgetSettingsView } from './widget-settings.js';
import { updateWidgetSettings } from './widget.service.js';

const WidgetPositionEnum = builder.enumType('WidgetPosition', { values: widgetPositions });
const WidgetLanguageEnum = builder.enumType('WidgetLanguage', { values: widgetLanguages });
const PreChatFieldNameEnum = builder.enumType('PreChatFieldName', { values: preChatFieldNames });

const PreChatFieldRef = builder.objectRef<WidgetSettings['preChatFields'][number]>('PreChatField').implement({
  fields: (t) => ({
    name: t.expose('name', { type: PreChatFieldNameEnum }),
    required: t.exposeBoolean('required'),
  }),
});

export const WidgetSettingsRef = builder.objectRef<WidgetSettingsView>('WidgetSettings').implement({
  description: "How the account's widget looks and what it asks. Public to the widget, except allowedOrigins.",
  fields: (t) => ({
    color: t.string({ description: 'The accent colour, #rrggbb.', resolve: (v) => v.settings.color }),
    position: t.field({ type: WidgetPositionEnum, resolve: (v) => v.settings.position }),
    greeting: t.string({ nullable: true, description: 'Shown when the chat opens.', resolve: (v) => v.settings.greeting }),
    language: t.field({ type: WidgetLanguageEnum, resolve: (v) => v.settings.language }),
    preChatFields: t.field({
      type: [PreChatFieldRef],
      description: 'Asked before the first message, in this order; empty: no pre-chat form.',
      resolve: (v) => v.settings.preChatFields,
    }),
    allowedOrigins: t.stringList({
      nullable: true,
      description: "Origins whose pages may embed the widget; empty: any. The account's agents and API tokens only.",
      authScopes: (v, _args, ctx) => isStaffOf(ctx.viewer, v.accountId),
      resolve: (v) => v.settings.allowedOrigins,
    }),
  }),
});

builder.objectField(AccountRef, 'widgetSettings', (t) => t.field({ type: WidgetSettingsRef, resolve: (account) => widgetSettingsView(account) }));

const PreChatFieldInput = builder.inputType('PreChatFieldInput', {
  fields: (t) => ({ name: t.field({ type: PreChatFieldNameEnum }), required: t.boolean() }),
});

const UpdateWidgetSettingsInput = builder.inputType('UpdateWidgetSettingsInput', {
  description: 'Omitted fields stay as they are.',
  fields: (t) => ({
    color: t.string({ required: false }),
    position: t.field({ type: WidgetPositionEnum, required: false }),
    greeting: t.string({ required: false }),
    language: t.field({ type: WidgetLanguageEnum, required: false }),
    preChatFields: t.field({ type: [PreChatFieldInput], required: false }),
    allowedOrigins: t.stringList({ required: false }),
  }),
});

builder.mutationField('updateWidgetSettings', (t) =>
  t.field({
    type: WidgetSettingsRef,
    description: 'OWNER and ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateWidgetSettingsInput }) },
    resolve: (_root, { input }, ctx) => updateWidgetSettings(ctx, input),
  }),
);
