import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { render, screen } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { Client, CombinedError, makeResult, type Exchange, type Operation, type OperationResult } from '@urql/core';
import { Provider } from '@urql/solid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromValue, mergeMap, pipe } from 'wonka';
import { session, setSession } from '../../lib/session';
import { DeleteAccount } from './DeleteAccount';

type Answer = (op: Operation) => Partial<OperationResult>;

function testExchange(mutate: Answer, sent: Record<string, unknown>[]): Exchange {
  return () => (ops$) =>
    pipe(
      ops$,
      mergeMap((op: Operation) => {
        if (op.kind !== 'mutation') return fromValue(makeResult(op, { data: null }));
        sent.push(op.variables as Record<string, unknown>);
        const answer = mutate(op);
        return fromValue({ ...makeResult(op, { data: answer.data ?? null }), ...answer } as OperationResult);
      }),
    );
}

function renderDelete(mutate: Answer = () => ({ data: { deleteAccount: true } })) {
  const sent: Record<string, unknown>[] = [];
  const client = new Client({ url: '/graphql', exchanges: [testExchange(mutate, sent)] });
  const history = createMemoryHistory();
  history.set({ value: '/settings' });
  render(() => (
    <Provider value={client}>
      <MemoryRouter history={history}>
        <Route path="/settings" component={() => <DeleteAccount accountName="Acme Shop" />} />
        <Route path="/signup" component={() => <h1>Create your account</h1>} />
      </MemoryRouter>
    </Provider>
  ));
  return { sent, history };
}

const nameInput = () => screen.getByLabelText('Type the account name to confirm') as HTMLInputElement;
const button = () => screen.getByRole('button', { name: 'Delete account' }) as HTMLButtonElement;

afterEach(() => {
  vi.unstubAllGlobals();
  setSession(null);
});

describe('DeleteAccount', () => {
  it('explains what goes', async () => {
    renderDelete();
    expect(await screen.findByText(/deletes everything in it for good/)).toBeTruthy();
    expect(button().classList.contains('danger')).toBe(true);
  });

  it('stays disabled until the name matches exactly, then deletes, signs out and goes to sign-up', async () => {
    const user = userEvent.setup();
    vi.stubGlobal('scrollTo', () => undefined); // the router scrolls after navigating; jsdom cannot
    setSession({ token: 'secret-token', agentId: 'a1' });
    const { sent, history } = renderDelete();
    expect(button().disabled).toBe(true);

    await user.type(nameInput(), 'acme shop'); // the case matters
    expect(button().disabled).toBe(true);
    await user.click(button());
    expect(sent).toEqual([]);

    await user.clear(nameInput());
    await user.type(nameInput(), 'Acme Sho');
    expect(button().disabled).toBe(true);
    await user.type(nameInput(), 'p');
    expect(button().disabled).toBe(false);

    await user.click(button());
    expect(await screen.findByRole('heading', { name: 'Create your account' })).toBeTruthy();
    expect(history.get()).toBe('/signup');
    expect(sent).toEqual([{ input: { accountName: 'Acme Shop' } }]);
    expect(session()).toBeNull();
    expect(localStorage.getItem('livechat.session')).toBeNull();
  });

  it("shows the server's refusal and keeps the session", async () => {
    const user = userEvent.setup();
    setSession({ token: 'secret-token', agentId: 'a1' });
    const refused: Answer = (op) => ({
      error: new CombinedError({ graphQLErrors: [{ message: 'Only the owner can delete the account.', extensions: { code: 'FORBIDDEN' } }], response: op }),
    });
    const { history } = renderDelete(refused);
    await user.type(nameInput(), 'Acme Shop');
    await user.click(button());
    expect((await screen.findByRole('alert')).textContent).toBe('Only the owner can delete the account.');
    expect(session()).toEqual({ token: 'secret-token', agentId: 'a1' });
    expect(history.get()).toBe('/settings');
  });
});
