import { expect, test, type Page } from '@playwright/test';
import { expectEveryControlNamed } from './lib/browser.js';
import { escapeRegExp, is, openScenario, startChat, visitorName, type Chat, type Scenario } from './lib/scenario.js';

/** What has the keyboard focus, and whether it shows a focus ring. */
type Focused = { tag: string; type: string; name: string; classes: string; outline: string; ringVisible: boolean };

async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'body', type: '', name: '', classes: '', outline: '', ringVisible: false };
    const field = el as HTMLInputElement;
    const name = (
      el.getAttribute('aria-label') ??
      ([...(field.labels ?? [])].map((label) => label.textContent ?? '').join(' ') || el.textContent || '')
    )
      .replace(/\s+/g, ' ')
      .trim();
    // A filter's radio is visually hidden: its label draws the ring.
    const ringOwner = field.type === 'radio' ? (el.closest('label') ?? el) : el;
    const style = getComputedStyle(ringOwner);
    return {
      tag: el.tagName.toLowerCase(),
      type: field.type ?? '',
      name,
      classes: el.className,
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      ringVisible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    };
  });
}

/** Presses Tab until `target` has the focus (at most `max` times); returns every stop on the way. */
async function tabTo(page: Page, what: string, target: (f: Focused) => boolean, max = 40): Promise<Focused[]> {
  const path: Focused[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    path.push(now);
    if (target(now)) return path;
  }
  throw new Error(`Tab never reached ${what}; the focus went through:\n${path.map((f) => `  ${f.tag}[${f.type}] “${f.name}” .${f.classes}`).join('\n')}`);
}

test.describe.serial('accessibility', () => {
  let scenario: Scenario;
  let chat: Chat;

  test.beforeAll(async ({ browser }) => {
    scenario = await openScenario(browser);
    chat = await startChat(scenario, 'Can I pay by invoice?');
  });

  test.afterAll(async () => {
    await chat?.visitor.close();
    await scenario?.close();
  });

  test('the inbox works from the keyboard, with a visible focus ring on every stop', async () => {
    const { pageA } = scenario;
    await pageA.goto('/inbox');
    await expect(pageA.locator('.conversation-item').filter({ hasText: visitorName })).toBeVisible();

    const stops: Focused[] = [];
    const reach = async (what: string, target: (f: Focused) => boolean) => {
      const path = await tabTo(pageA, what, target);
      stops.push(...path);
      return path[path.length - 1];
    };
    const skip = await reach('the skip link', () => true);
    expect(skip?.name, 'the first Tab stop').toBe('Skip to content');
    await reach('the Inbox link', (f) => f.tag === 'a' && f.name.startsWith('Inbox'));
    await reach('the Team link', (f) => f.tag === 'a' && f.name === 'Team');
    await reach('the Settings link', (f) => f.tag === 'a' && f.name === 'Settings');
    await reach('the status filter', (f) => f.type === 'radio' && f.name === 'Open');
    await reach('the assignment filter', (f) => f.type === 'radio' && f.name === 'All');
    await reach('the conversation', (f) => f.tag === 'a' && f.classes.includes('conversation-item'));

    // Enter opens the focused conversation; Tab goes on into it, down to the composer.
    await pageA.keyboard.press('Enter');
    await expect(pageA).toHaveURL(new RegExp(`/inbox/${escapeRegExp(chat.conversationId)}$`));
    await expect(pageA.getByRole('log', { name: 'Messages' }).getByText('Can I pay by invoice?')).toBeVisible();
    await reach('the assignee', (f) => f.tag === 'select' && f.name === 'Assignee');
    await reach('the close button', (f) => f.tag === 'button' && f.name === 'Close conversation');
    await reach('the composer', (f) => f.tag === 'textarea' && f.name === 'Message');

    await test.info().attach('tab stops', { contentType: 'text/plain', body: stops.map((f) => `${f.tag}[${f.type}] “${f.name}” outline: ${f.outline}`).join('\n') });
    const withoutRing = stops.filter((f) => f.tag !== 'body' && !f.ringVisible);
    expect(withoutRing, 'focused elements without a visible outline').toEqual([]);

    await pageA.keyboard.type('Yes, we send invoices.');
    await pageA.keyboard.press('Enter');
    await chat.events.waitFor('the reply typed from the keyboard', is.message('Yes, we send invoices.', 'AGENT'));
  });

  test('every control of the inbox and the conversation has an accessible name', async () => {
    const { pageA } = scenario;
    await expect(pageA.getByRole('textbox', { name: 'Message', exact: true })).toBeVisible();
    await expectEveryControlNamed(pageA, 'the inbox with a conversation open');
  });

  test('every request went to the server’s own origin', () => {
    scenario.guard.expectOwnOriginOnly();
  });
});
