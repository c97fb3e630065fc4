import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { baseUrl, unique } from './lib/api.js';
import { expectEveryControlNamed, newContext, OriginGuard, screenshot, sessionOf } from './lib/browser.js';

/**
 * An owner signs up, looks at the settings, signs out and in again, invites a colleague from
 * the Team screen, and the colleague accepts the invitation in another browser. (Serial: each
 * step starts where the previous one left the browsers; the Team steps come last so that the
 * others still run while that screen is being built.)
 */
test.describe.serial('onboarding', () => {
  const id = unique();
  const owner = { company: `Acme ${id}`, name: 'Ada Owner', email: `ada-${id}@example.com`, password: 'correct horse battery' };
  const colleague = { name: 'Bea Agent', email: `bea-${id}@example.com`, password: 'staple battery horse' };
  let guard: OriginGuard;
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  let inviteLink = '';

  test.beforeAll(async ({ browser }) => {
    guard = new OriginGuard();
    contextA = await newContext(browser, guard);
    contextB = await newContext(browser, guard);
    pageA = await contextA.newPage();
    pageB = await contextB.newPage();
  });

  test.afterAll(async () => {
    await contextA?.close();
    await contextB?.close();
  });

  test('an owner signs up and lands on the inbox', async () => {
    await pageA.goto('/signup');
    await expect(pageA.getByRole('heading', { name: 'Create your account' })).toBeVisible();
    await expectEveryControlNamed(pageA, 'the sign-up page');
    await pageA.getByLabel('Company name').fill(owner.company);
    await pageA.getByLabel('Your name').fill(owner.name);
    await pageA.getByLabel('Email').fill(owner.email);
    await pageA.getByLabel('Password').fill(owner.password);
    await screenshot(pageA, 'signup.png');
    await pageA.getByRole('button', { name: 'Create account' }).click();

    await expect(pageA).toHaveURL(/\/inbox$/);
    await expect(pageA.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect(pageA.getByText(owner.name, { exact: true })).toBeVisible();
    await expect(pageA.getByText('No conversations here.')).toBeVisible();
    await expect(pageA).toHaveTitle(`${owner.company} · Livechat`);
    const session = await sessionOf(pageA);
    expect(session.token).toBeTruthy();
    expect(session.agentId).toBeTruthy();
    await expectEveryControlNamed(pageA, 'the inbox');
    await screenshot(pageA, 'inbox.png');
  });

  test('the settings screen', async () => {
    await pageA.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect(pageA).toHaveURL(/\/settings$/);
    await expect(pageA.getByRole('heading', { level: 1 })).toContainText('Settings');
    await expectEveryControlNamed(pageA, 'the Settings screen');
    await screenshot(pageA, 'settings.png');
  });

  test('signing out lands on the sign-in page, and signing in again works', async () => {
    await pageA.getByRole('button', { name: 'Sign out' }).click();
    await expect(pageA).toHaveURL(/\/signin$/);
    await expect(pageA.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    expect(await pageA.evaluate(() => localStorage.getItem('livechat.session'))).toBeNull();
    await expectEveryControlNamed(pageA, 'the sign-in page');
    await screenshot(pageA, 'signin.png');

    // The signed-out pages stay out of reach of the signed-in ones.
    await pageA.goto('/inbox');
    await expect(pageA).toHaveURL(/\/signin$/);

    await pageA.getByLabel('Email').fill(owner.email);
    await pageA.getByLabel('Password').fill('not the password');
    await pageA.getByRole('button', { name: 'Sign in' }).click();
    await expect(pageA.getByRole('alert')).toBeVisible();
    await expect(pageA).toHaveURL(/\/signin$/);

    await pageA.getByLabel('Password').fill(owner.password);
    await pageA.getByRole('button', { name: 'Sign in' }).click();
    await expect(pageA).toHaveURL(/\/inbox$/);
    await expect(pageA.getByText(owner.name, { exact: true })).toBeVisible();
  });

  test('the owner invites a second agent from the Team screen', async () => {
    await pageA.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
    await expect(pageA).toHaveURL(/\/team$/);
    const form = pageA.getByRole('form', { name: 'Invite an agent' });
    await expect(form).toBeVisible();
    await form.getByLabel('Name', { exact: true }).fill(colleague.name);
    await form.getByLabel('Email', { exact: true }).fill(colleague.email);
    await form.getByLabel('Role', { exact: true }).selectOption('AGENT');
    await form.getByRole('button', { name: 'Send invitation' }).click();

    const link = pageA.getByLabel('Invitation link');
    const origin = new URL(baseUrl()).origin;
    await expect(link).toHaveValue(new RegExp(`^${origin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/invite/[^/?#]+$`));
    await expect(link).toHaveAttribute('readonly', '');
    inviteLink = await link.inputValue();
    await expectEveryControlNamed(pageA, 'the Team screen');
    await screenshot(pageA, 'team.png');
  });

  test('the invited agent accepts the invitation in another browser', async () => {
    await pageB.goto(inviteLink);
    await expect(pageB.getByRole('heading', { name: 'Join your team' })).toBeVisible();
    await expectEveryControlNamed(pageB, 'the accept-invitation page');
    await pageB.getByLabel('Password').fill(colleague.password);
    await screenshot(pageB, 'accept-invite.png');
    await pageB.getByRole('button', { name: 'Accept invitation' }).click();

    await expect(pageB).toHaveURL(/\/inbox$/);
    await expect(pageB.getByText(colleague.name, { exact: true })).toBeVisible();
    await expect(pageB.getByText(owner.company, { exact: true })).toBeVisible();
  });

  test('every request went to the server’s own origin', () => {
    guard.expectOwnOriginOnly();
  });
});
