import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { render, screen, within } from '@solidjs/testing-library';
import { Client, makeResult, type Exchange, type Operation } from '@urql/core';
import { Provider } from '@urql/solid';
import { describe, expect, it } from 'vitest';
import { fromValue, mergeMap, pipe } from 'wonka';
import type { AgentRole } from '../../gql/graphql';
import { ViewerContext } from '../shell/viewer';
import { Settings } from './Settings';

/** Only the privacy settings answer: the other sections are not under test here. */
const exchange: Exchange = () => (ops$) =>
  pipe(
    ops$,
    mergeMap((op: Operation) => {
      const name = op.query.definitions.find((d) => d.kind === 'OperationDefinition')?.name?.value;
      const privacySettings = { __typename: 'PrivacySettings', ipHandling: 'TRUNCATED', retentionDays: 30 };
      const data = name === 'PrivacySettings' ? { viewer: { __typename: 'Viewer', account: { __typename: 'Account', id: 'acc1', privacySettings } } } : null;
      return fromValue(makeResult(op, { data }));
    }),
  );

function renderSettings(role: AgentRole) {
  const agent = { id: 'a1', name: 'Dana', email: 'dana@example.com', role, status: 'ONLINE' as const, jobTitle: null, motto: null };
  const account = { id: 'acc1', name: 'Acme', widgetKey: 'wk' };
  const history = createMemoryHistory();
  history.set({ value: '/settings' });
  render(() => (
    <Provider value={new Client({ url: '/graphql', exchanges: [exchange] })}>
      <ViewerContext.Provider value={{ agent: () => agent, account: () => account }}>
        <MemoryRouter history={history}>
          <Route path="/settings" component={Settings} />
        </MemoryRouter>
      </ViewerContext.Provider>
    </Provider>
  ));
}

const section = (name: string) => screen.queryByRole('region', { name });

describe('Settings: privacy sections by role', () => {
  it('shows a plain agent the privacy settings read-only, and nothing else of them', async () => {
    renderSettings('AGENT');
    const privacy = await screen.findByRole('region', { name: 'Privacy' });
    expect(within(privacy).getByText('Owners and admins change the privacy settings.')).toBeTruthy();
    expect(within(privacy).queryByRole('button', { name: 'Save privacy settings' })).toBeNull();
    expect(section('Audit log')).toBeNull();
    expect(section('Delete account')).toBeNull();
  });

  it('lets an admin edit them and read the audit log, but not delete the account', async () => {
    renderSettings('ADMIN');
    const privacy = await screen.findByRole('region', { name: 'Privacy' });
    expect(within(privacy).getByRole('button', { name: 'Save privacy settings' })).toBeTruthy();
    expect(section('Audit log')).not.toBeNull();
    expect(section('Delete account')).toBeNull();
  });

  it('gives the owner the account deletion too', async () => {
    renderSettings('OWNER');
    const deletion = await screen.findByRole('region', { name: 'Delete account' });
    expect(within(deletion).getByRole('button', { name: 'Delete account' })).toBeTruthy();
    expect(section('Audit log')).not.toBeNull();
  });
});
