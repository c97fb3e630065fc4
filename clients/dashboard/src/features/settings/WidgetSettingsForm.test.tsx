import { fireEvent, render, screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { Client, CombinedError, makeResult, type Exchange, type Operation, type OperationResult } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { Provider } from '@urql/solid';
import { createSignal, Show } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { delay, fromValue, mergeMap, pipe } from 'wonka';
import { WidgetSettingsForm } from './WidgetSettingsForm';

/** What the server would answer for the account's widget settings (with the __typenames graphcache needs). */
function widgetSettings(overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'WidgetSettings',
    color: '#e11d48',
    position: 'BOTTOM_LEFT',
    greeting: 'Hi! How can we help?',
    language: 'CS',
    preChatFields: [
      { __typename: 'PreChatField', name: 'EMAIL', required: true },
      { __typename: 'PreChatField', name: 'NAME', required: false },
    ],
    allowedOrigins: ['https://shop.example', 'https://www.shop.example'],
    ...overrides,
  };
}

const queryData = (settings = widgetSettings()) => ({
  viewer: { __typename: 'Viewer', account: { __typename: 'Account', id: 'acc1', widgetSettings: settings } },
});

type Answer = (op: Operation) => Partial<OperationResult>;

/** Answers the query with the settings and each mutation as `mutate` says, recording the mutations' variables. */
function testExchange(mutate: Answer, sent: Record<string, unknown>[], stored = () => widgetSettings()): Exchange {
  return () => (ops$) =>
    pipe(
      ops$,
      mergeMap((op: Operation) => {
        if (op.kind === 'query') return pipe(fromValue(makeResult(op, { data: queryData(stored()) })), delay(1));
        if (op.kind === 'mutation') {
          sent.push(op.variables as Record<string, unknown>);
          const answer = mutate(op);
          return fromValue({ ...makeResult(op, { data: answer.data ?? null }), ...answer } as OperationResult);
        }
        return fromValue(makeResult(op, { data: null }));
      }),
    );
}

/** The embedded (id-less) types, as the app's client declares them. */
const keys = Object.fromEntries(['Viewer', 'WidgetSettings', 'PreChatField'].map((name) => [name, () => null]));

function renderForm(mutate: Answer, editable = true) {
  const sent: Record<string, unknown>[] = [];
  const client = new Client({ url: '/graphql', exchanges: [cacheExchange({ keys }), testExchange(mutate, sent)] });
  render(() => (
    <Provider value={client}>
      <WidgetSettingsForm editable={editable} />
    </Provider>
  ));
  return sent;
}

const form = () => screen.getByRole('form', { name: 'Widget settings' });
const field = <T extends HTMLElement>(name: string) => within(form()).getByLabelText(name) as T;

/** The server echoes the input as it would store it. */
const echo: Answer = (op) => {
  const input = (op.variables as { input: Record<string, unknown> }).input;
  const preChatFields = (input.preChatFields as object[]).map((f) => ({ __typename: 'PreChatField', ...f }));
  return { data: { updateWidgetSettings: widgetSettings({ ...input, preChatFields }) } };
};

describe('WidgetSettingsForm', () => {
  it('shows the current settings', async () => {
    renderForm(echo);
    await within(form()).findByText('#e11d48');
    expect(field<HTMLInputElement>('Colour').value).toBe('#e11d48');
    expect(field<HTMLInputElement>('Colour').type).toBe('color');
    expect(field<HTMLSelectElement>('Position').value).toBe('BOTTOM_LEFT');
    expect(field<HTMLSelectElement>('Language').value).toBe('CS');
    expect(field<HTMLTextAreaElement>('Greeting').value).toBe('Hi! How can we help?');
    expect(field<HTMLTextAreaElement>('Greeting').maxLength).toBe(300);
    expect(field<HTMLInputElement>('Ask for name').checked).toBe(true);
    expect(field<HTMLInputElement>('Name required').checked).toBe(false);
    expect(field<HTMLInputElement>('Ask for email').checked).toBe(true);
    expect(field<HTMLInputElement>('Email required').checked).toBe(true);
    expect(field<HTMLTextAreaElement>('Allowed origins').value).toBe('https://shop.example\nhttps://www.shop.example');
    expect(within(form()).getByRole('group', { name: 'Pre-chat form' })).toBeTruthy();
    const preview = form().querySelector<HTMLElement>('.widget-preview')!;
    expect(preview.getAttribute('aria-hidden')).toBe('true');
    expect(preview.classList.contains('left')).toBe(true);
    expect(within(form()).getByRole('button', { name: 'Save widget settings' })).toBeTruthy();
  });

  it('sends the whole form as the update and shows what was saved', async () => {
    const user = userEvent.setup();
    const sent = renderForm(echo);
    await within(form()).findByText('#e11d48');

    fireEvent.input(field('Colour'), { target: { value: '#14804a' } });
    await user.selectOptions(field('Position'), 'Bottom right');
    await user.selectOptions(field('Language'), 'English');
    await user.clear(field('Greeting'));
    await user.type(field('Greeting'), '   ');
    await user.click(field('Ask for email')); // the email is no longer asked for
    await user.click(field('Name required'));
    expect(within(form()).queryByLabelText('Email required')).toBeNull();
    await user.clear(field('Allowed origins'));
    await user.type(field('Allowed origins'), '  https://shop.example  {Enter}{Enter}https://blog.example{Enter}   ');
    await user.click(within(form()).getByRole('button', { name: 'Save widget settings' }));

    expect(await screen.findByText('Widget settings saved.')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Widget settings saved.');
    expect(sent).toEqual([
      {
        input: {
          color: '#14804a',
          position: 'BOTTOM_RIGHT',
          language: 'EN',
          greeting: null,
          preChatFields: [{ name: 'NAME', required: true }],
          allowedOrigins: ['https://shop.example', 'https://blog.example'],
        },
      },
    ]);
    // the form shows the server's answer
    expect(field<HTMLTextAreaElement>('Allowed origins').value).toBe('https://shop.example\nhttps://blog.example');
    expect(field<HTMLTextAreaElement>('Greeting').value).toBe('');
    expect(form().querySelector('.widget-preview')!.classList.contains('left')).toBe(false);
  });

  it('sends the pre-chat fields as Name, then Email', async () => {
    const user = userEvent.setup();
    const sent = renderForm(echo);
    await within(form()).findByText('#e11d48');
    await user.click(field('Email required'));
    await user.click(within(form()).getByRole('button', { name: 'Save widget settings' }));
    await screen.findByText('Widget settings saved.');
    expect((sent[0]!.input as { preChatFields: unknown }).preChatFields).toEqual([
      { name: 'NAME', required: false },
      { name: 'EMAIL', required: false },
    ]);
  });

  it('shows an error about one origin beside the origins, naming its line', async () => {
    const user = userEvent.setup();
    const invalid: Answer = (op) => ({
      error: new CombinedError({
        graphQLErrors: [
          {
            message: 'input.allowedOrigins.1: must be an origin such as https://shop.example',
            extensions: { code: 'BAD_USER_INPUT', field: 'input.allowedOrigins.1' },
          },
        ],
        response: op,
      }),
    });
    const sent = renderForm(invalid);
    await within(form()).findByText('#e11d48');
    await user.clear(field('Allowed origins'));
    // line 3 is the second origin sent: the blank line is not sent
    await user.type(field('Allowed origins'), 'https://shop.example{Enter}{Enter}shop.example');
    await user.click(within(form()).getByRole('button', { name: 'Save widget settings' }));

    const alert = await within(form()).findByRole('alert');
    expect(alert.textContent).toBe('Line 3: must be an origin such as https://shop.example');
    expect((sent[0]!.input as { allowedOrigins: unknown }).allowedOrigins).toEqual(['https://shop.example', 'shop.example']);
    const origins = field<HTMLTextAreaElement>('Allowed origins');
    expect(origins.getAttribute('aria-invalid')).toBe('true');
    expect(origins.getAttribute('aria-describedby')?.split(' ')).toContain(alert.id);
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('takes the server\'s newer answer after the cached one', async () => {
    let stored = widgetSettings();
    const client = new Client({
      url: '/graphql',
      requestPolicy: 'cache-and-network', // as the app's client
      exchanges: [cacheExchange({ keys }), testExchange(echo, [], () => stored)],
    });
    const [open, setOpen] = createSignal(true);
    render(() => (
      <Provider value={client}>
        <Show when={open()}>
          <WidgetSettingsForm editable />
        </Show>
      </Provider>
    ));
    await within(form()).findByText('#e11d48');
    setOpen(false);
    stored = widgetSettings({ color: '#0f766e', position: 'BOTTOM_RIGHT', allowedOrigins: [] }); // changed elsewhere
    setOpen(true);
    expect(field<HTMLSelectElement>('Position').value).toBe('BOTTOM_LEFT'); // the cache first
    await within(form()).findByText('#0f766e');
    expect(field<HTMLSelectElement>('Position').value).toBe('BOTTOM_RIGHT');
    expect(field<HTMLTextAreaElement>('Allowed origins').value).toBe('');
  });

  it('shows a plain agent the settings read-only', async () => {
    renderForm(echo, false);
    await within(form()).findByText('#e11d48');
    expect(screen.getByText('Owners and admins change the widget.')).toBeTruthy();
    for (const name of ['Colour', 'Position', 'Language', 'Greeting', 'Ask for name', 'Email required', 'Allowed origins']) {
      expect(field<HTMLInputElement>(name).matches(':disabled'), name).toBe(true);
    }
    expect(within(form()).queryByRole('button', { name: 'Save widget settings' })).toBeNull();
  });
});
