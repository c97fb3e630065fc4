import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { StoredWidgetSettings } from '../widget/widget-settings.js';

export const plans = ['FREE', 'PAID'] as const;
export type Plan = (typeof plans)[number];
export const ipHandlings = ['NONE', 'TRUNCATED', 'FULL'] as const;
export type IpHandling = (typeof ipHandlings)[number];

/** A company using the product. Billing data holds no payment card field, by design. */
export const Account = defineEntity({
  name: 'Account',
  tableName: 'accounts',
  properties: (p) => ({
    id: p.uuid().primary(),
    name: p.text(),
    widgetKey: p.text().unique(),
    billingCompanyName: p.text().nullable(),
    billingVatId: p.text().nullable(),
    billingEmail: p.text().nullable(),
    plan: p.enum([...plans]).$type<Plan>().default('FREE'),
    /** partial: what is missing takes its default (widget-settings.ts) */
    widgetSettings: p.json<StoredWidgetSettings>().default('{}'),
    /** how much of a visitor's IP address is stored (location is looked up before) */
    ipHandling: p.enum([...ipHandlings]).$type<IpHandling>().default('TRUNCATED'),
    /** closed conversations and inactive visitors older than this are deleted; null keeps them */
    retentionDays: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
});
export type Account = InferEntity<typeof Account>;
