import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { render, screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { Client, CombinedError, makeResult, type Exchange, type Operation, type OperationResult } from '@urql/core';
import { Provider } from '@urql/solid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromValue, mergeMap, pipe } from 'wonka';
import type { AgentRole } from '../../gql/graphql';
import { ViewerContext, type CurrentAccount, type CurrentAgent } from '../shell/viewer';
import { VisitorPrivacy } from './VisitorPrivacy';

/** A visitor's global id as the server makes them: base64 of "Visitor:<uuid v7>". */
const visitorId = btoa('Visitor:0193a7c2-1111-7aaa-8bbb-1234abcd5678');

const exported = {
  format: 'livechat.visitor-export.v1',
  visitor: { id: visitorId, name: 'Alex Visitor' },
  conversations: [{ id: 'c1', messages: [{ seq: 1, authorKind: 'VISITOR', body: 'Hello, is anyone there?' }] }],
};

type Answer = (op: Operation) => Partial<OperationResult>;

const answers: Record<string, Answer> = {
  ExportVisitor: (op) => ({ data: { exportVisitor: { __typename: 'VisitorExport', exportedAt: '2026-01-05T18:00:00.000Z', document: exported } }, operation: op }),
  EraseVisitor: () => ({ data: { eraseVisitor: { __typename: 'EraseVisitorPayload', erasedConversations: 2, erasedMessages: 1, erasedPageViews: 7 } } }),
};

/** Every operation the component sends, answered from `answers` (or `override`). */
function testExchange(sent: Operation[], override?: Answer): Exchange {
  return () => (ops$) =>
    pipe(
      ops$,
      mergeMap((op: Operation) => {
        if (op.kind === 'teardown') return fromValue(makeResult(op, { data: null }));
        sent.push(op);
        const name = op.query.definitions.find((d) => d.kind === 'OperationDefinition')?.name?.value ?? '';
        const answer = (override ?? answers[name])?.(op) ?? {};
        return fromValue({ ...makeResult(op, { data: answer.data ?? null }), ...answer, operation: op } as OperationResult);
      }),
    );
}

function agent(role: AgentRole): CurrentAgent {
  return { id: 'a1', name: 'Dana', email: 'dana@example.com', role, status: 'ONLINE', jobTitle: null, motto: null };
}
const account: CurrentAccount = { id: 'acc1', name: 'Acme', widgetKey: 'wk' };

function renderPrivacy(role: AgentRole, override?: Answer) {
  const sent: Operation[] = [];
  const client = new Client({ url: '/graphql', exchanges: [testExchange(sent, override)] });
  const history = createMemoryHistory();
  history.set({ value: '/inbox/c1?status=CLOSED' });
  render(() => (
    <Provider value={client}>
      <ViewerContext.Provider value={{ agent: () => agent(role), account: () => account }}>
        <MemoryRouter history={history}>
          <Route path="/inbox/:conversationId?" component={() => <VisitorPrivacy visitorId={visitorId} visitorName="Alex Visitor" />} />
        </MemoryRouter>
      </ViewerContext.Provider>
    </Provider>
  ));
  return { sent, history };
}

const mutations = (sent: Operation[]) => sent.filter((op) => op.kind === 'mutation');

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('VisitorPrivacy', () => {
  it('is not there for a plain agent', () => {
    const { sent } = renderPrivacy('AGENT');
    expect(screen.queryByRole('heading', { name: 'Privacy' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Export data' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Erase visitor' })).toBeNull();
    expect(sent).toEqual([]);
  });

  it('offers owners and admins both actions', async () => {
    for (const role of ['OWNER', 'ADMIN'] as const) {
      const { sent } = renderPrivacy(role);
      const section = await screen.findByRole('region', { name: 'Privacy' });
      expect(within(section).getByRole('button', { name: 'Export data' })).toBeTruthy();
      expect(within(section).getByRole('button', { name: 'Erase visitor' }).classList.contains('danger')).toBe(true);
      expect(sent).toEqual([]); // nothing is fetched until asked
      document.body.innerHTML = '';
    }
  });

  it('exports the data as a JSON download built in memory', async () => {
    const user = userEvent.setup();
    const blobs: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => (blobs.push(blob), 'blob:http://localhost/export-1'));
    const revokeObjectURL = vi.fn();
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL }));
    const clicked: { href: string; download: string; attached: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, attached: document.body.contains(this) });
    });

    const { sent } = renderPrivacy('ADMIN');
    await user.click(await screen.findByRole('button', { name: 'Export data' }));

    expect(await screen.findByText('Exported visitor-abcd5678.json.')).toBeTruthy();
    expect(mutations(sent).map((op) => op.variables)).toEqual([{ id: visitorId }]);
    expect(sent.filter((op) => op.kind !== 'mutation')).toEqual([]); // only the mutation goes over the network
    expect(clicked).toEqual([{ href: 'blob:http://localhost/export-1', download: 'visitor-abcd5678.json', attached: true }]);
    expect(document.querySelector('a[download]')).toBeNull(); // the temporary link is gone
    expect(blobs).toHaveLength(1);
    expect(blobs[0]!.type).toBe('application/json');
    expect(JSON.parse(await blobs[0]!.text())).toEqual(exported);
  });

  it('erases only after confirmation, then says what went and goes back to the inbox', async () => {
    const user = userEvent.setup();
    const confirm = vi.fn(() => false);
    vi.stubGlobal('confirm', confirm);
    vi.stubGlobal('scrollTo', () => undefined); // the router scrolls to the top after navigating; jsdom cannot
    const { sent, history } = renderPrivacy('OWNER');

    await user.click(await screen.findByRole('button', { name: 'Erase visitor' }));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(confirm.mock.calls[0]).toEqual([expect.stringMatching(/Alex Visitor[\s\S]*cannot be undone/)]);
    expect(mutations(sent)).toEqual([]);

    confirm.mockReturnValue(true);
    await user.click(screen.getByRole('button', { name: 'Erase visitor' }));
    const text = 'Visitor erased: 2 conversations, 1 message and 7 page views deleted.';
    await vi.waitFor(() => expect(history.get()).toBe('/inbox?status=CLOSED'));
    expect(mutations(sent).map((op) => op.variables)).toEqual([{ id: visitorId }]);
    // the notice outlives the panel, which closes with the erased visitor's conversation
    const notice = await screen.findByText(text, { selector: '.page-notice [role="status"]' });
    expect(notice).toBeTruthy();
  });

  it('shows why an erasure failed, and stays', async () => {
    const user = userEvent.setup();
    vi.stubGlobal('confirm', () => true);
    const forbidden: Answer = (op) => ({
      error: new CombinedError({ graphQLErrors: [{ message: 'Only owners and admins can do this.', extensions: { code: 'FORBIDDEN' } }], response: op }),
    });
    const { history } = renderPrivacy('ADMIN', forbidden);
    await user.click(await screen.findByRole('button', { name: 'Erase visitor' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Only owners and admins can do this.');
    expect(history.get()).toBe('/inbox/c1?status=CLOSED');
  });
});
