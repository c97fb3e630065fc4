import { newId } from '../../shared/uuid.js';
import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { ConflictError, ForbiddenError } from '../../shared/errors.js';
import { email, optionalText, parseInput, password, text } from '../../shared/validation.js';
import { Agent } from '../agents/agent.entity.js';
import { actAsAgent, openSession } from '../auth/auth.service.js';
import { hashPassword } from '../auth/secrets.js';
import { Account, plans } from './account.entity.js';
import { canEditBilling } from './accounts.policy.js';

const signUpInput = z.object({ accountName: text(100), name: text(100), email, password });

/** The public key a company puts in its widget embed code. */
export function newWidgetKey(): string {
  return 'wk_' + randomBytes(16).toString('base64url');
}

/** Creates a company account with its first agent as OWNER, and signs that agent in. */
export async function signUp(ctx: Context, input: unknown) {
  const data = parseInput(signUpInput, input);
  const passwordHash = await hashPassword(data.password);
  try {
    const { agent, token, session } = await ctx.em.transactional(async (em) => {
      const account = em.create(Account, { id: newId(), name: data.accountName, widgetKey: newWidgetKey() });
      const owner = em.create(Agent, { id: newId(), accountId: account.id, name: data.name, email: data.email, passwordHash, role: 'OWNER' });
      return { agent: owner, ...openSession(em, owner) };
    });
    await actAsAgent(ctx, agent, session);
    return { token, agent };
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new ConflictError('input.email', 'An agent with this email already exists.');
    }
    throw error;
  }
}

const billingInput = z.object({
  companyName: optionalText(200),
  vatId: optionalText(50),
  billingEmail: email.nullish().transform((v) => v ?? null),
  plan: z.enum(plans).optional(),
});

/** The OWNER edits the billing profile. It has no payment card fields: card data is never stored. */
export async function updateBillingProfile(ctx: Context, input: unknown) {
  const data = parseInput(billingInput, input);
  const viewer = ctx.viewer;
  if (viewer.kind !== 'AGENT' || !canEditBilling(viewer, viewer.accountId)) {
    throw new ForbiddenError('Only the account owner can edit billing.');
  }
  const account = await ctx.em.findOneOrFail(Account, { id: viewer.accountId });
  account.billingCompanyName = data.companyName;
  account.billingVatId = data.vatId;
  account.billingEmail = data.billingEmail;
  if (data.plan) account.plan = data.plan;
  await ctx.em.flush();
  return account;
}
