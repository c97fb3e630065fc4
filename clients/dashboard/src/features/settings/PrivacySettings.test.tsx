import { render, screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { Client, CombinedError, makeResult, type Exchange, type Operation, type OperationResult } from '@urql/core';
import { Provider } from '@urql/solid';
import { describe, expect, it } from 'vitest';
import { delay, fromValue, mergeMap, pipe } from 'wonka';
import { PrivacySettings } from './PrivacySettings';

const stored = (ipHandling: string, retentionDays: number | null) => ({
  viewer: { __typename: 'Viewer', account: { __typename: 'Account', id: 'acc1', privacySettings: { __typename: 'PrivacySettings', ipHandling, retentionDays } } },
});

type Answer = (op: Operation) => Partial<OperationResult>;

/** The server echoes the input as it would store it. */
const echo: Answer = (op) => {
  const input = (op.variables as { input: { ipHandling: string; retentionDays: number | null } }).input;
  return { data: { updatePrivacySettings: { __typename: 'PrivacySettings', ...input } } };
};

/** Answers the query with `query` and each mutation as `mutate` says, recording the mutations' variables. */
function testExchange(query: object, mutate: Answer, sent: Record<string, unknown>[]): Exchange {
  return () => (ops$) =>
    pipe(
      ops$,
      mergeMap((op: Operation) => {
        if (op.kind === 'query') return pipe(fromValue(makeResult(op, { data: query })), delay(1));
        if (op.kind === 'mutation') {
          sent.push(op.variables as Record<string, unknown>);
          const answer = mutate(op);
          return fromValue({ ...makeResult(op, { data: answer.data ?? null }), ...answer } as OperationResult);
        }
        return fromValue(makeResult(op, { data: null }));
      }),
    );
}

function renderForm(options: { query?: object; mutate?: Answer; editable?: boolean } = {}) {
  const sent: Record<string, unknown>[] = [];
  const client = new Client({ url: '/graphql', exchanges: [testExchange(options.query ?? stored('TRUNCATED', 30), options.mutate ?? echo, sent)] });
  render(() => (
    <Provider value={client}>
      <PrivacySettings editable={options.editable ?? true} />
    </Provider>
  ));
  return sent;
}

const form = () => screen.getByRole('form', { name: 'Privacy settings' });
const field = <T extends HTMLElement>(name: string) => within(form()).getByLabelText(name) as T;
const days = () => field<HTMLInputElement>('Delete closed conversations and inactive visitors after (days)');
const keepForever = () => field<HTMLInputElement>('Keep forever');
const loaded = () => within(form()).findByDisplayValue('30');

describe('PrivacySettings', () => {
  it('shows the current settings', async () => {
    renderForm();
    await loaded();
    const ip = field<HTMLSelectElement>('IP addresses');
    expect(ip.value).toBe('TRUNCATED');
    expect([...ip.options].map((o) => o.textContent)).toEqual(['Store none', 'Store truncated (recommended)', 'Store in full']);
    expect(days().type).toBe('number');
    expect(days().disabled).toBe(false);
    expect(keepForever().checked).toBe(false);
  });

  it('sends Keep forever as retentionDays null', async () => {
    const user = userEvent.setup();
    const sent = renderForm();
    await loaded();
    await user.selectOptions(field('IP addresses'), 'Store none');
    await user.click(keepForever());
    expect(days().disabled).toBe(true);
    await user.click(within(form()).getByRole('button', { name: 'Save privacy settings' }));

    expect(await screen.findByText('Privacy settings saved.')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Privacy settings saved.');
    expect(sent).toEqual([{ input: { ipHandling: 'NONE', retentionDays: null } }]);
  });

  it('sends the number of days when data is not kept forever', async () => {
    const user = userEvent.setup();
    const sent = renderForm({ query: stored('FULL', null) });
    await within(form()).findByDisplayValue('Store in full');
    expect(keepForever().checked).toBe(true);
    expect(days().disabled).toBe(true);
    await user.click(keepForever());
    await user.type(days(), '90');
    await user.click(within(form()).getByRole('button', { name: 'Save privacy settings' }));
    await screen.findByText('Privacy settings saved.');
    expect(sent).toEqual([{ input: { ipHandling: 'FULL', retentionDays: 90 } }]);
  });

  it('never sends days that are not a whole number (they would mean "keep forever")', async () => {
    const user = userEvent.setup();
    const sent = renderForm();
    await loaded();
    await user.clear(days());
    await user.click(within(form()).getByRole('button', { name: 'Save privacy settings' }));
    const alert = await within(form()).findByRole('alert');
    expect(alert.textContent).toBe('Enter a whole number of days, or choose Keep forever.');
    expect(days().getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);
  });

  it("shows the server's error about the days beside them", async () => {
    const user = userEvent.setup();
    const tooLong: Answer = (op) => ({
      error: new CombinedError({
        graphQLErrors: [{ message: 'input.retentionDays: must be at most 3650 days', extensions: { code: 'BAD_USER_INPUT', field: 'input.retentionDays' } }],
        response: op,
      }),
    });
    const sent = renderForm({ mutate: tooLong });
    await loaded();
    await user.clear(days());
    await user.type(days(), '5000');
    await user.click(within(form()).getByRole('button', { name: 'Save privacy settings' }));

    const alert = await within(form()).findByRole('alert');
    expect(alert.textContent).toBe('must be at most 3650 days');
    expect(days().getAttribute('aria-describedby')?.split(' ')).toContain(alert.id);
    expect(within(form()).getAllByRole('alert')).toHaveLength(1); // not repeated under the form
    expect(sent).toEqual([{ input: { ipHandling: 'TRUNCATED', retentionDays: 5000 } }]);
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('shows a plain agent the settings read-only', async () => {
    renderForm({ editable: false });
    await loaded();
    expect(screen.getByText('Owners and admins change the privacy settings.')).toBeTruthy();
    for (const control of [field('IP addresses'), days(), keepForever()]) expect(control.matches(':disabled')).toBe(true);
    expect(within(form()).queryByRole('button', { name: 'Save privacy settings' })).toBeNull();
  });
});
