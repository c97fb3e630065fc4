import { expect, test } from '@playwright/test';
import { widgetKey } from './lib/api.js';
import { newContext } from './lib/browser.js';
import { openScenario, type Scenario } from './lib/scenario.js';
import { demoPath, hostPageState, openWidgetVisitor, updateWidgetSettings, Widget, type WidgetWindow } from './lib/widget.js';

/**
 * The widget and the page that embeds it leave each other alone: the demo page's loud styles
 * (`button { background: … !important }`, Georgia, letter-spacing) and its script keep working,
 * none of them reaches the widget, and the widget adds nothing to the page but its one element.
 */
test.describe.serial('widget on a host page', () => {
  let scenario: Scenario;
  let key = '';

  test.beforeAll(async ({ browser }) => {
    scenario = await openScenario(browser);
    key = await widgetKey(scenario.owner.session.token);
    await updateWidgetSettings(scenario.owner.session.token, { color: '#aa3300' });
  });

  test.afterAll(async () => {
    await scenario?.close();
  });

  test('the page keeps its own styles and script; the widget lives in its shadow root, in its own colour', async ({ browser }) => {
    const { widget, page, problems } = await openWidgetVisitor(browser, scenario.guard, key, { contexts: scenario.contexts });
    await widget.open();
    await expect(widget.composer).toBeVisible();

    // The host page's styles still apply to its own elements.
    await expect(page.locator('#host-button')).toHaveCSS('background-color', 'rgb(220, 38, 38)');
    await expect(page.locator('#host-button')).toHaveCSS('text-transform', 'uppercase');
    await expect(page.locator('body')).toHaveCSS('font-family', /Georgia/);
    await expect(page.locator('header')).toHaveCSS('background-color', 'rgb(124, 45, 18)');
    // Its script ran, and its button still works.
    expect(await page.evaluate(() => (window as unknown as WidgetWindow).hostScriptRan)).toBe(true);
    await page.locator('#host-button').click();
    await expect(page.locator('#host-counter')).toHaveText('1');
    await page.locator('#host-button').click();
    await expect(page.locator('#host-counter')).toHaveText('2');

    // The widget's markup is in the open shadow root of its one element, none of it in the page.
    const dom = await page.evaluate(() => {
      const hosts = document.querySelectorAll('livechat-widget');
      const root = hosts[0]?.shadowRoot ?? null;
      return {
        hosts: hosts.length,
        mode: root?.mode ?? null,
        lightTextareas: document.querySelectorAll('textarea').length,
        lightDialogs: document.querySelectorAll('[role="dialog"], [role="log"]').length,
        shadowTextareas: root?.querySelectorAll('textarea').length ?? 0,
        shadowStyles: root?.querySelectorAll('style').length ?? 0,
      };
    });
    expect(dom).toEqual({ hosts: 1, mode: 'open', lightTextareas: 0, lightDialogs: 0, shadowTextareas: 1, shadowStyles: 1 });

    // The host's `button { background: #dc2626 !important }` does not reach the launcher: the account's colour.
    await expect(widget.launcher).toHaveCSS('background-color', 'rgb(170, 51, 0)');
    await expect(widget.launcher).toHaveCSS('text-transform', 'none');
    await expect(widget.panel.locator('.hd')).toHaveCSS('background-color', 'rgb(170, 51, 0)');
    // Nor do its fonts and letter-spacing reach the widget's text.
    await expect(widget.composer).not.toHaveCSS('font-family', /Georgia/);
    await expect(widget.composer).toHaveCSS('letter-spacing', 'normal');
    await expect(widget.title).not.toHaveCSS('font-family', /Georgia/);
    expect(problems).toEqual([]);
  });

  test('the page’s own elements look the same with the widget as without it', async ({ browser }) => {
    const context = await newContext(browser, scenario.guard);
    scenario.contexts.push(context);

    const without = await context.newPage();
    await without.route('**/widget.js', (route) => route.abort());
    const blocked = without.waitForEvent('requestfailed', (request) => request.url().endsWith('/widget.js'));
    await without.goto(demoPath(key));
    await blocked;
    await expect(without.locator('livechat-widget')).toHaveCount(0);
    expect(await without.evaluate(() => typeof (window as unknown as WidgetWindow).LiveChat)).toBe('undefined');
    const alone = await hostPageState(without);

    const withWidget = await context.newPage();
    await withWidget.goto(demoPath(key));
    const widget = new Widget(withWidget);
    await widget.open();
    await expect(widget.composer).toBeVisible();
    const embedded = await hostPageState(withWidget);

    expect(embedded.styles).toEqual(alone.styles);
    expect(embedded.styleSheets).toBe(alone.styleSheets);
    // One element more in the page, and one global: window.LiveChat.
    expect(embedded.bodyChildren).toEqual([...alone.bodyChildren, 'livechat-widget']);
    expect(embedded.globals.filter((name) => !alone.globals.includes(name))).toEqual(['LiveChat']);
  });

  test('every request and socket of the pages went to the server’s own origin', () => {
    scenario.guard.expectOwnOriginOnly();
  });
});
