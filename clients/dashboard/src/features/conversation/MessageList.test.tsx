import { render, screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { OutboxItem } from '../../lib/outbox';
import type { Message } from './conversation-store';
import { MessageList, type MessageListProps } from './MessageList';

function message(seq: number, authorKind: Message['authorKind'], body: string): Message {
  return {
    id: `m${seq}`,
    seq,
    body,
    authorKind,
    createdAt: new Date(Date.UTC(2026, 0, 1, 10, seq)).toISOString(),
    clientMessageId: null,
    agent: authorKind === 'AGENT' ? { id: 'a1', name: 'Dana' } : null,
  };
}

const conversation = [
  message(1, 'VISITOR', 'Hi, is anyone there?'),
  message(2, 'AGENT', 'Hello! How can I help?'),
  message(3, 'AGENT', 'Are you still there?'),
];

function renderList(overrides: Partial<MessageListProps> = {}) {
  const props: MessageListProps = {
    messages: conversation,
    pending: [],
    visitorName: 'Alex',
    visitorReadSeq: 0,
    hasOlder: false,
    loadingOlder: false,
    onLoadOlder: vi.fn(),
    onRetry: vi.fn(),
    onDiscard: vi.fn(),
    ...overrides,
  };
  render(() => <MessageList {...props} />);
  return props;
}

const items = () => within(screen.getByRole('log')).getAllByRole('listitem');

describe('MessageList', () => {
  it('is a polite live log of the messages in order, with their authors', () => {
    renderList();
    const log = screen.getByRole('log');
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(items().map((li) => li.querySelector('.body')?.textContent)).toEqual([
      'Hi, is anyone there?',
      'Hello! How can I help?',
      'Are you still there?',
    ]);
    expect(items().map((li) => li.querySelector('.author')?.textContent)).toEqual(['Alex', 'Dana', 'Dana']);
  });

  it('shows "Seen" on agent messages up to the visitor\'s read seq only', () => {
    renderList({ visitorReadSeq: 2 });
    const seen = items().map((li) => within(li).queryByText('Seen') !== null);
    expect(seen).toEqual([false, true, false]);
  });

  it('shows pending messages as waiting or sending', () => {
    const pending: OutboxItem[] = [
      { clientMessageId: 'x1', conversationId: 'c1', body: 'on its way', state: 'sending' },
      { clientMessageId: 'x2', conversationId: 'c1', body: 'waiting', state: 'queued' },
    ];
    renderList({ pending });
    const [sending, queued] = items().slice(3);
    expect(within(sending!).getByText('Sending…')).toBeTruthy();
    expect(within(queued!).getByText('Waiting for connection…')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('shows a failed message with its error and Retry/Discard buttons', async () => {
    const pending: OutboxItem[] = [{ clientMessageId: 'x1', conversationId: 'c1', body: 'nope', state: 'failed', error: 'Conversation is closed.' }];
    const props = renderList({ pending });
    expect(screen.getByText(/Conversation is closed\./)).toBeTruthy();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(props.onRetry).toHaveBeenCalledExactlyOnceWith('x1');
    await user.click(screen.getByRole('button', { name: 'Discard' }));
    expect(props.onDiscard).toHaveBeenCalledExactlyOnceWith('x1');
  });

  it('offers to load earlier messages only when there are some', async () => {
    const props = renderList({ hasOlder: true });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load earlier messages' }));
    expect(props.onLoadOlder).toHaveBeenCalledOnce();
  });

  it('has no load button without older messages', () => {
    renderList({ hasOlder: false });
    expect(screen.queryByRole('button', { name: 'Load earlier messages' })).toBeNull();
  });

  it('disables the load button while loading', () => {
    renderList({ hasOlder: true, loadingOlder: true });
    expect((screen.getByRole('button', { name: 'Loading…' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
