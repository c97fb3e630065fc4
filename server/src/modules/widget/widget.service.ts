import type { Context } from '../../context.js';
import { ForbiddenError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validation.js';
import { isAdmin } from '../auth/viewer.js';
import { Account } from '../accounts/account.entity.js';
import { Agent } from '../agents/agent.entity.js';
import { widgetSettingsInput, widgetSettingsView, type WidgetSettingsView } from './widget-settings.js';

/** OWNER and ADMIN change how their widget looks and asks, and where it may be embedded. */
export async function updateWidgetSettings(ctx: Context, input: unknown): Promise<WidgetSettingsView> {
  const data = parseInput(widgetSettingsInput, input);
  const viewer = ctx.viewer;
  if (viewer.kind !== 'AGENT' || !isAdmin(viewer)) throw new ForbiddenError('Only owners and admins change the widget.');
  const account = await ctx.em.findOneOrFail(Account, { id: viewer.accountId });
  const changes = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
  account.widgetSettings = { ...(account.widgetSettings ?? {}), ...changes };
  await ctx.em.flush();
  return widgetSettingsView(account);
}

/** Is anyone there to answer? The widget offers its offline form when not. */
export async function agentsOnline(ctx: Context, accountId: string): Promise<boolean> {
  const online = await ctx.em.count(Agent, { accountId, status: 'ONLINE', removedAt: null });
  return online > 0;
}
