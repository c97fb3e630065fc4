import { z } from 'zod';

export const widgetPositions = ['BOTTOM_RIGHT', 'BOTTOM_LEFT'] as const;
export const widgetLanguages = ['EN', 'CS'] as const;
export const preChatFieldNames = ['NAME', 'EMAIL'] as const;

export type WidgetSettings = {
  color: string;
  position: (typeof widgetPositions)[number];
  greeting: string | null;
  language: (typeof widgetLanguages)[number];
  /** asked before the first message; empty: no pre-chat form */
  preChatFields: { name: (typeof preChatFieldNames)[number]; required: boolean }[];
  /** origins (scheme://host[:port]) whose pages may embed the widget; empty: any */
  allowedOrigins: string[];
};

/** What the accounts table holds: only what was ever set. */
export type StoredWidgetSettings = Partial<WidgetSettings>;

export const defaultWidgetSettings: WidgetSettings = {
  color: '#2454d6',
  position: 'BOTTOM_RIGHT',
  greeting: null,
  language: 'EN',
  preChatFields: [],
  allowedOrigins: [],
};

/** The account's settings with a default for whatever was never set. */
export function widgetSettingsOf(account: { widgetSettings?: StoredWidgetSettings | null }): WidgetSettings {
  return { ...defaultWidgetSettings, ...(account.widgetSettings ?? {}) };
}

/** The settings and the account they belong to: staff of that account also see the allowed origins. */
export type WidgetSettingsView = { accountId: string; settings: WidgetSettings };

export function widgetSettingsView(account: { id: string; widgetSettings?: StoredWidgetSettings | null }): WidgetSettingsView {
  return { accountId: account.id, settings: widgetSettingsOf(account) };
}

/** "https://shop.example:8443" from what an admin typed ("https://shop.example:8443/any/path" too). */
const origin = z
  .string()
  .trim()
  .max(200)
  .url('must be an origin such as https://shop.example')
  .refine((value) => /^https?:\/\//i.test(value), 'must be an http or https origin')
  .transform((value) => new URL(value).origin);

/** The update: every field optional (omitted stays as it is); null greeting clears it. */
export const widgetSettingsInput = z.object({
  color: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #2454d6')
    .transform((value) => value.toLowerCase())
    .optional(),
  position: z.enum(widgetPositions).optional(),
  greeting: z.string().trim().max(300, 'must be at most 300 characters').nullish().transform((v) => (v === undefined ? undefined : v || null)),
  language: z.enum(widgetLanguages).optional(),
  preChatFields: z
    .array(z.object({ name: z.enum(preChatFieldNames), required: z.boolean() }))
    .max(preChatFieldNames.length)
    .refine((fields) => new Set(fields.map((f) => f.name)).size === fields.length, 'must name each field once')
    .optional(),
  allowedOrigins: z.array(origin).max(50, 'at most 50 origins').optional(),
});

/**
 * May a page of `requestOrigin` embed this account's widget? Without a list, any page may;
 * with one, only those origins (a request without an Origin header is not a browser page).
 */
export function originAllowed(settings: WidgetSettings, requestOrigin: string | null): boolean {
  if (settings.allowedOrigins.length === 0) return true;
  return requestOrigin !== null && settings.allowedOrigins.includes(requestOrigin.toLowerCase());
}
