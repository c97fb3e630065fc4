import { useClient } from '@urql/solid';
import { createContext, onCleanup, useContext, type JSX } from 'solid-js';
import { onReconnect } from '../../lib/connection';
import { errorMessage, isNetworkFailure } from '../../lib/errors';
import { createOutbox, type Outbox } from '../../lib/outbox';
import type { Message } from './conversation-store';
import { SendMessageMutation } from './conversation.graphql';

type AgentOutbox = Outbox & {
  /** Lets an open conversation show its sent messages as soon as the server confirms them. */
  onSent(conversationId: string, listener: (message: Message) => void): () => void;
};

const OutboxContext = createContext<AgentOutbox>();

/** One outbox per signed-in agent, kept in this browser until every message is delivered. */
export function OutboxProvider(props: { agentId: string; children: JSX.Element }) {
  const client = useClient();
  const listeners = new Map<string, (message: Message) => void>();
  const outbox = createOutbox({
    storageKey: `livechat.outbox.${props.agentId}`,
    async send(item) {
      const result = await client
        .mutation(SendMessageMutation, { input: { conversationId: item.conversationId, body: item.body, clientMessageId: item.clientMessageId } })
        .toPromise();
      if (result.data) {
        listeners.get(item.conversationId)?.(result.data.sendMessage.message);
        return { kind: 'sent' };
      }
      if (isNetworkFailure(result.error)) return { kind: 'retry' };
      return { kind: 'failed', error: errorMessage(result.error) ?? 'Not sent.' };
    },
  });
  const retry = () => void outbox.retryNow();
  onCleanup(onReconnect(retry));
  window.addEventListener('online', retry);
  onCleanup(() => {
    window.removeEventListener('online', retry);
    outbox.dispose();
  });
  void outbox.retryNow();
  const value: AgentOutbox = {
    ...outbox,
    onSent(conversationId, listener) {
      listeners.set(conversationId, listener);
      return () => listeners.delete(conversationId);
    },
  };
  return <OutboxContext.Provider value={value}>{props.children}</OutboxContext.Provider>;
}

export function useOutbox(): AgentOutbox {
  const outbox = useContext(OutboxContext);
  if (!outbox) throw new Error('useOutbox outside OutboxProvider');
  return outbox;
}
