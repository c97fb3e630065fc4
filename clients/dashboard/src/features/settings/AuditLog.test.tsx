import { render, screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { Client, makeResult, type Exchange, type Operation, type OperationResult } from '@urql/core';
import { Provider } from '@urql/solid';
import { describe, expect, it } from 'vitest';
import { delay, fromValue, mergeMap, pipe } from 'wonka';
import { AuditLog, auditPageSize, describeSettingsChange } from './AuditLog';

type Entry = { action: string; actorKind: string; actorName: string; visitorId: string | null; details: object; createdAt: string };

const entry = (action: string, details: object, more: Partial<Entry> = {}): Entry => ({
  action,
  actorKind: 'AGENT',
  actorName: 'Dana Owner',
  visitorId: null,
  details,
  createdAt: '2026-01-05T17:00:00.000Z',
  ...more,
});

/** Newest first, as the server lists them. */
const firstPage = [
  entry('VISITOR_EXPORTED', { conversations: 1, messages: 3, pageViews: 2 }, { visitorId: 'v1', createdAt: '2026-01-05T18:00:00.000Z' }),
  entry('VISITOR_ERASED', { conversations: 2, messages: 14, pageViews: 5 }, { actorKind: 'API_TOKEN', actorName: 'CRM sync' }),
  entry('RETENTION_APPLIED', { conversations: 4, messages: 20, visitors: 1, retentionDays: 30 }, { actorKind: 'SYSTEM', actorName: 'Retention' }),
  entry('PRIVACY_SETTINGS_CHANGED', { before: { ipHandling: 'TRUNCATED', retentionDays: null }, after: { ipHandling: 'NONE', retentionDays: 30 } }),
];
const secondPage = [entry('VISITOR_EXPORTED', { conversations: 0, messages: 0, pageViews: 0 }, { visitorId: 'v-gone', createdAt: '2025-12-01T08:00:00.000Z' })];

function connection(entries: Entry[], endCursor: string, hasNextPage: boolean) {
  return {
    __typename: 'AuditEntryConnection',
    edges: entries.map((node, i) => ({ __typename: 'AuditEntryEdge', cursor: `${endCursor}-${i}`, node: { __typename: 'AuditEntry', ...node } })),
    pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor },
  };
}

const visitor = {
  __typename: 'Visitor',
  id: 'v1',
  name: 'Alex Visitor',
  email: null,
  conversations: { __typename: 'ConversationConnection', edges: [{ __typename: 'ConversationEdge', node: { __typename: 'Conversation', id: 'c9' } }] },
};

/** The audit log in two pages (the second after "page-1"), and the visitors it names. */
function testExchange(sent: Operation[]): Exchange {
  const answer = (op: Operation): object => {
    const name = op.query.definitions.find((d) => d.kind === 'OperationDefinition')?.name?.value;
    if (name === 'AuditVisitor') return { node: (op.variables as { id: string }).id === 'v1' ? visitor : null };
    const after = (op.variables as { after: string | null }).after;
    const page = after === 'page-1' ? connection(secondPage, 'page-2', false) : connection(firstPage, 'page-1', true);
    return { viewer: { __typename: 'Viewer', account: { __typename: 'Account', id: 'acc1', auditLog: page } } };
  };
  return () => (ops$) =>
    pipe(
      ops$,
      mergeMap((op: Operation) => {
        if (op.kind === 'teardown') return fromValue(makeResult(op, { data: null }));
        sent.push(op);
        return pipe(fromValue(makeResult(op, { data: answer(op) }) as OperationResult), delay(1));
      }),
    );
}

function renderLog() {
  const sent: Operation[] = [];
  render(() => (
    <Provider value={new Client({ url: '/graphql', exchanges: [testExchange(sent)] })}>
      <AuditLog />
    </Provider>
  ));
  return sent;
}

const rows = () => within(screen.getByRole('table', { name: 'Audit log' })).getAllByRole('row').slice(1);
const cells = (row: HTMLElement) => within(row).getAllByRole('cell');

describe('AuditLog', () => {
  it("lists the entries newest first, saying what each did and who did it", async () => {
    renderLog();
    await screen.findByText("Exported a visitor's data");
    expect(screen.getByRole('columnheader', { name: 'When' })).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Who' })).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'What' })).toBeTruthy();

    const [exported, erased, retention, changed] = rows();
    expect(cells(exported!)[0]!.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-05T18:00:00.000Z');
    expect(cells(exported!)[1]!.textContent).toBe('Dana Owner');
    expect(cells(exported!)[2]!.textContent).toMatch(/^Exported a visitor's data/);
    expect(cells(erased!)[1]!.textContent).toBe('CRM syncAPI token');
    expect(cells(erased!)[2]!.textContent).toBe('Erased a visitor (2 conversations, 14 messages)');
    expect(cells(retention!)[1]!.textContent).toBe('RetentionAutomatic');
    expect(cells(retention!)[2]!.textContent).toBe('Retention deleted 4 conversations and 1 visitor');
    expect(cells(changed!)[2]!.textContent).toBe('Changed privacy settingsIP addresses: truncated → none; kept: forever → 30 days');
  });

  it('links an audited visitor to their latest conversation', async () => {
    renderLog();
    const link = (await screen.findByRole('link', { name: 'Alex Visitor' })) as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/inbox/c9');
    expect(rows()[0]!.contains(link)).toBe(true);
    expect(screen.getAllByRole('link')).toHaveLength(1); // entries without a visitor link nothing
  });

  it('shows more, a page at a time, after the last page\u2019s end', async () => {
    const user = userEvent.setup();
    const sent = renderLog();
    await screen.findByText("Exported a visitor's data");
    const logQueries = () => sent.filter((op) => op.query.definitions.some((d) => d.kind === 'OperationDefinition' && d.name?.value === 'AuditLog'));
    expect(logQueries().map((op) => op.variables)).toEqual([{ first: auditPageSize, after: null }]);

    await user.click(screen.getByRole('button', { name: 'Show more' }));
    await screen.findByText('Visitor no longer exists');
    expect(rows()).toHaveLength(5);
    expect(logQueries().map((op) => op.variables)).toEqual([
      { first: auditPageSize, after: null },
      { first: auditPageSize, after: 'page-1' },
    ]);
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull(); // that was the last page
  });

  it('describes a settings change that changed one thing', () => {
    expect(describeSettingsChange({ before: { ipHandling: 'FULL', retentionDays: 7 }, after: { ipHandling: 'FULL', retentionDays: 1 } })).toBe('kept: 7 days → 1 day');
    expect(describeSettingsChange({})).toBeNull();
  });
});
