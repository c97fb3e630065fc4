import { newId } from '../../shared/uuid.js';
import { z } from 'zod';
import { actAs, type Context } from '../../context.js';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../shared/errors.js';
import { idOf } from '../../shared/ids.js';
import { email, names, optionalText, parseInput } from '../../shared/validation.js';
import { Account } from '../accounts/account.entity.js';
import { hashToken, newToken, tokenKind } from '../auth/secrets.js';
import { isStaff } from '../auth/viewer.js';
import { locate, parseUserAgent } from './client-details.js';
import { PageView, Visitor } from './visitor.entity.js';
import { visitorUpdated } from '../events/events.publish.js';
import { originAllowed, widgetSettingsOf } from '../widget/widget-settings.js';
import { storedIp } from '../privacy/ip-address.js';
import { consumeOrRefuse } from '../auth/rate-limits.js';

/** Pages are web pages: a javascript: or data: "URL" would become a live link in the dashboard. */
const url = z
  .string()
  .trim()
  .max(2000)
  .url('must be a URL')
  .refine((value) => /^https?:\/\//i.test(value), 'must be an http or https URL');

const startInput = z.object({
  widgetKey: z.string().min(1, 'must not be empty').max(100),
  visitorToken: z.string().max(200).nullish(),
  pageUrl: url.nullish(),
  pageTitle: optionalText(500),
  referrer: url.nullish().or(z.literal('')).transform((v) => v || null),
});

/**
 * The widget's first call on every page load: resumes the visitor its token names (or
 * starts a new one), refreshes what the request tells about the client, records the page view.
 */
export async function startVisitorSession(ctx: Context, input: unknown) {
  const data = parseInput(startInput, input);
  await consumeOrRefuse(ctx.deps.rateLimits.visitorSessionsByIp, ctx.client.ip ?? 'unknown');
  const account = await ctx.em.findOne(Account, { widgetKey: data.widgetKey });
  if (!account) throw new NotFoundError('Widget key');
  if (!originAllowed(widgetSettingsOf(account), ctx.client.origin)) {
    throw new ForbiddenError(`This widget may not be embedded on ${ctx.client.origin ?? 'a page without an origin'}.`);
  }

  const { ip, userAgent } = ctx.client;
  // location comes from the full address; what is stored of the address is the account's choice
  const details = { ...parseUserAgent(userAgent), ...locate(ip) };
  const technical = {
    ipAddress: storedIp(ip, account.ipHandling),
    userAgent,
    browserName: details.browser.name,
    browserVersion: details.browser.version,
    osName: details.os.name,
    osVersion: details.os.version,
    country: details.country,
    city: details.city,
    lastSeenAt: new Date(),
  };

  let visitorToken = data.visitorToken && tokenKind(data.visitorToken) === 'visitor' ? data.visitorToken : null;
  let visitor = visitorToken
    ? await ctx.em.findOne(Visitor, { accountId: account.id, tokenHash: hashToken(visitorToken) })
    : null;
  if (visitor) {
    ctx.em.assign(visitor, technical);
  } else {
    visitorToken = newToken('visitor');
    visitor = ctx.em.create(Visitor, { id: newId(), accountId: account.id, tokenHash: hashToken(visitorToken), ...technical });
  }
  if (data.pageUrl) {
    ctx.em.create(PageView, { id: newId(),
      accountId: account.id,
      visitorId: visitor.id,
      url: data.pageUrl,
      title: data.pageTitle,
      referrer: data.referrer,
    });
  }
  await ctx.em.flush();
  await announce(ctx, visitor);
  await actAs(ctx, { kind: 'VISITOR', accountId: account.id, visitorId: visitor.id });
  return { visitorToken: visitorToken!, visitor, account };
}

const updateInput = z.object({
  visitorId: z.string().nullish(),
  name: optionalText(100),
  email: email.nullish().or(z.literal('')).transform((v) => v || null),
});

/** The pre-chat form (the visitor itself) or an agent correcting a visitor's name and email; omitted fields stay. */
export async function updateVisitor(ctx: Context, input: unknown) {
  const data = parseInput(updateInput, input);
  const viewer = ctx.viewer;
  let visitorId: string;
  if (data.visitorId) {
    visitorId = idOf('Visitor', data.visitorId, 'input.visitorId');
  } else if (viewer.kind === 'VISITOR') {
    visitorId = viewer.visitorId;
  } else {
    throw new BadUserInputError('input.visitorId', 'input.visitorId: required for agents and API tokens.');
  }
  if (!isStaff(viewer) && !(viewer.kind === 'VISITOR' && viewer.visitorId === visitorId)) {
    throw new NotFoundError('Visitor');
  }
  const visitor = await ctx.loaders.visitor.load(visitorId);
  if (!visitor) throw new NotFoundError('Visitor');
  if (names(input, 'name')) visitor.name = data.name;
  if (names(input, 'email')) visitor.email = data.email;
  await ctx.em.flush();
  await announce(ctx, visitor);
  return visitor;
}

/** Tells the account's agents what changed about a visitor, with its current presence. */
async function announce(ctx: Context, visitor: Visitor) {
  const online = await ctx.deps.realtime.presence.online('visitor', visitor.accountId, [visitor.id]);
  await visitorUpdated(ctx.deps, visitor, online.has(visitor.id));
}

/** The pages a visitor viewed, newest first. */
export function pageViews(ctx: Context, visitor: Visitor, limit: number) {
  return ctx.em.find(
    PageView,
    { accountId: visitor.accountId, visitorId: visitor.id },
    { orderBy: { viewedAt: 'desc', id: 'desc' }, limit },
  );
}
