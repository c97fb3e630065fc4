import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { render, screen, within } from '@solidjs/testing-library';
import { Client, makeResult, type Exchange, type Operation, type OperationResult } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { Provider } from '@urql/solid';
import { describe, expect, it, vi } from 'vitest';
import { filter, fromValue, makeSubject, merge, mergeMap, pipe, type Source } from 'wonka';
import type { AgentRole } from '../../gql/graphql';
import { AccountEventsSubscription } from '../shell/shell.graphql';
import { ViewerContext } from '../shell/viewer';
import { countryName } from './format';
import { VisitorPanel } from './VisitorPanel';

/** What the server would answer to the panel's query (with the __typenames graphcache needs). */
function visitorNode(overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'Visitor',
    id: 'v1',
    name: 'Alex Visitor',
    email: 'alex@example.org',
    online: true,
    ipAddress: '81.0.0.7',
    firstSeenAt: '2026-01-02T09:00:00.000Z',
    lastSeenAt: '2026-01-05T17:30:00.000Z',
    browser: { __typename: 'Software', name: 'Chrome', version: '120' },
    os: { __typename: 'Software', name: 'Windows', version: '11' },
    location: { __typename: 'Location', city: 'Berlin', country: 'DE' },
    pageViews: [
      { __typename: 'PageView', url: 'https://shop.example/pricing', title: 'Pricing', viewedAt: '2026-01-05T17:29:00.000Z' },
      { __typename: 'PageView', url: 'https://shop.example/faq', title: null, viewedAt: '2026-01-05T17:20:00.000Z' },
      { __typename: 'PageView', url: 'javascript:alert(1)', title: 'Trap', viewedAt: '2026-01-05T17:10:00.000Z' },
    ],
    conversations: {
      __typename: 'ConversationConnection',
      edges: [
        { __typename: 'ConversationEdge', node: { __typename: 'Conversation', id: 'c-current', status: 'OPEN', createdAt: '2026-01-05T17:00:00.000Z', lastActivityAt: '2026-01-05T17:30:00.000Z' } },
        { __typename: 'ConversationEdge', node: { __typename: 'Conversation', id: 'c-old', status: 'CLOSED', createdAt: '2025-12-01T08:00:00.000Z', lastActivityAt: '2025-12-01T09:00:00.000Z' } },
      ],
    },
    ...overrides,
  };
}

/** Answers every query with `data`, and every subscription with whatever the test pushes into `events`. */
function fixedExchange(data: object, events: Source<OperationResult['data']> = fromValue(undefined)): Exchange {
  return () => (ops$) => {
    const queries = pipe(
      ops$,
      filter((op: Operation) => op.kind === 'query'),
      mergeMap((op) => fromValue(makeResult(op, { data }))),
    );
    const subscriptions = pipe(
      ops$,
      filter((op: Operation) => op.kind === 'subscription'),
      mergeMap((op) =>
        pipe(
          events,
          filter((event) => event !== undefined),
          mergeMap((event) => fromValue(makeResult(op, { data: event }))),
        ),
      ),
    );
    return merge([queries, subscriptions]);
  };
}

/** The embedded (id-less) types, as the app's client declares them. */
const keys = Object.fromEntries(
  ['PageView', 'Software', 'Location', 'ConversationConnection', 'ConversationEdge', 'VisitorUpdated'].map((name) => [name, () => null]),
);

/** The panel inside the signed-in shell, for an agent of `role` (a plain agent gets no privacy actions). */
function renderPanel(client: Client, currentConversationId = 'c-current', role: AgentRole = 'AGENT') {
  const agent = { id: 'a1', name: 'Dana', email: 'dana@example.com', role, status: 'ONLINE' as const, jobTitle: null, motto: null };
  const account = { id: 'acc1', name: 'Acme', widgetKey: 'wk' };
  const history = createMemoryHistory();
  history.set({ value: `/inbox/${currentConversationId}` });
  return render(() => (
    <Provider value={client}>
      <ViewerContext.Provider value={{ agent: () => agent, account: () => account }}>
        <MemoryRouter history={history}>
          <Route path="/inbox/:conversationId?" component={() => <VisitorPanel visitorId="v1" currentConversationId={currentConversationId} />} />
        </MemoryRouter>
      </ViewerContext.Provider>
    </Provider>
  ));
}

const facts = (panel: HTMLElement) =>
  Object.fromEntries([...panel.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));

describe('VisitorPanel', () => {
  it('shows the visitor\'s facts', async () => {
    renderPanel(new Client({ url: '/graphql', exchanges: [fixedExchange({ node: visitorNode() })] }));
    const panel = await screen.findByRole('complementary', { name: 'Visitor' });
    expect(within(panel).getByRole('heading', { level: 2 }).textContent).toBe('Alex Visitor');

    const shown = facts(panel);
    expect(shown['Status']).toBe('Online');
    expect(panel.querySelector('.dot.online')).not.toBeNull();
    expect(shown['Email']).toBe('alex@example.org');
    expect(shown['IP address']).toBe('81.0.0.7');
    expect(shown['Browser']).toBe('Chrome 120');
    expect(shown['System']).toBe('Windows 11');
    expect(countryName('DE')).not.toBe('DE');
    expect(shown['Location']).toBe(`Berlin, ${countryName('DE')}`);

    const times = [...panel.querySelectorAll('dd time')].map((t) => t.getAttribute('datetime'));
    expect(times).toEqual(['2026-01-02T09:00:00.000Z', '2026-01-05T17:30:00.000Z']);
  });

  it('lists the pages viewed, opening web pages in a new tab and never linking other URLs', async () => {
    renderPanel(new Client({ url: '/graphql', exchanges: [fixedExchange({ node: visitorNode() })] }));
    const pricing = (await screen.findByRole('link', { name: 'Pricing' })) as HTMLAnchorElement;
    expect(pricing.href).toBe('https://shop.example/pricing');
    expect(pricing.rel).toBe('noreferrer noopener');
    expect(pricing.target).toBe('_blank');
    expect(pricing.parentElement?.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-05T17:29:00.000Z');
    expect(screen.getByRole('link', { name: 'https://shop.example/faq' })).toBeTruthy(); // no title: the URL
    expect(screen.getByText('Trap').closest('a')).toBeNull();
    expect(screen.getByRole('heading', { level: 3, name: 'Pages viewed' })).toBeTruthy();
  });

  it('links the other conversations, leaving out the current one', async () => {
    renderPanel(new Client({ url: '/graphql', exchanges: [fixedExchange({ node: visitorNode() })] }));
    const heading = await screen.findByRole('heading', { level: 3, name: 'Other conversations' });
    const list = heading.nextElementSibling as HTMLElement;
    const links = within(list).getAllByRole('link') as HTMLAnchorElement[];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/inbox/c-old']);
    expect(links[0]!.textContent).toMatch(/closed/);
    expect(links[0]!.querySelector('time')?.getAttribute('datetime')).toBe('2025-12-01T08:00:00.000Z');
  });

  it('names an anonymous visitor and says what is unknown', async () => {
    const anonymous = visitorNode({ name: null, email: null, online: false, browser: null, location: null, pageViews: [] });
    renderPanel(new Client({ url: '/graphql', exchanges: [fixedExchange({ node: anonymous })] }));
    const panel = await screen.findByRole('complementary', { name: 'Visitor' });
    expect((await within(panel).findByRole('heading', { level: 2 })).textContent).toBe('Anonymous visitor');
    const shown = facts(panel);
    expect(shown['Status']).toBe('Offline');
    expect(panel.querySelector('.dot.online')).toBeNull();
    expect(shown['Email']).toBe('Unknown');
    expect(shown['Browser']).toBe('Unknown');
    expect(within(panel).getByText('No pages recorded.')).toBeTruthy();
  });

  it('follows VisitorUpdated events from the account subscription through graphcache', async () => {
    // Without a schema graphcache matches the event union's fragments heuristically, and says so on console.warn.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const events = makeSubject<OperationResult['data']>();
    const client = new Client({
      url: '/graphql',
      exchanges: [cacheExchange({ keys }), fixedExchange({ node: visitorNode() }, events.source)],
    });
    renderPanel(client);
    const panel = await screen.findByRole('complementary', { name: 'Visitor' });
    await within(panel).findByText('Online');

    // What the Shell does: one subscription to the account's events.
    const subscription = client.subscription(AccountEventsSubscription, {}).subscribe(() => undefined);
    events.next({
      accountEvents: {
        __typename: 'VisitorUpdated',
        visitor: { __typename: 'Visitor', id: 'v1', name: 'Alex Visitor', email: 'alex@example.org', online: false, lastSeenAt: '2026-01-05T18:00:00.000Z' },
      },
    });

    expect(await within(panel).findByText('Offline')).toBeTruthy();
    expect(panel.querySelectorAll('dd time')[1]?.getAttribute('datetime')).toBe('2026-01-05T18:00:00.000Z');
    subscription.unsubscribe();
    warn.mockRestore();
  });

  it('offers the privacy actions to owners and admins only', async () => {
    renderPanel(new Client({ url: '/graphql', exchanges: [fixedExchange({ node: visitorNode() })] }), 'c-current', 'ADMIN');
    const panel = await screen.findByRole('complementary', { name: 'Visitor' });
    const privacy = await within(panel).findByRole('region', { name: 'Privacy' });
    expect(within(privacy).getByRole('button', { name: 'Export data' })).toBeTruthy();
    expect(within(privacy).getByRole('button', { name: 'Erase visitor' })).toBeTruthy();
    document.body.innerHTML = '';

    renderPanel(new Client({ url: '/graphql', exchanges: [fixedExchange({ node: visitorNode() })] }), 'c-current', 'AGENT');
    const agentsPanel = await screen.findByRole('complementary', { name: 'Visitor' });
    await within(agentsPanel).findByText('Alex Visitor');
    expect(within(agentsPanel).queryByRole('region', { name: 'Privacy' })).toBeNull();
    expect(within(agentsPanel).queryByRole('button', { name: 'Erase visitor' })).toBeNull();
  });

  it('says when the visitor cannot be found', async () => {
    renderPanel(new Client({ url: '/graphql', exchanges: [fixedExchange({ node: null })] }));
    expect(await screen.findByText('Visitor not found.')).toBeTruthy();
  });
});
