import type { Client } from '@urql/core';
import { createStore, produce } from 'solid-js/store';
import type { MessageFieldsFragment } from '../../gql/graphql';
import { onDrop, onReconnect } from '../../lib/connection';
import { errorMessage } from '../../lib/errors';
import { ConversationEventsSubscription, MessagesPageQuery } from './conversation.graphql';

export type Message = MessageFieldsFragment;

const pageSize = 30;
/** The visitor's "is typing" turns itself off if no renewal comes (the server's expiry is 5 s). */
const typingTimeout = 6000;

type State = {
  messages: Message[];
  loading: boolean;
  loadingOlder: boolean;
  hasOlder: boolean;
  olderCursor: string | null;
  /** The last message cursor seen live: where a resumed subscription starts. */
  lastCursor: string | null;
  visitorTyping: boolean;
  visitorReadSeq: number;
  error: string | null;
};

/** Adds messages in seq order, once each: pages, live events and send results may overlap. */
export function mergeMessages(list: Message[], incoming: Message[]): Message[] {
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const message of incoming) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * One open conversation's messages: the newest page, older pages on demand, and the live
 * events after the last cursor. After a drop it resubscribes from the last cursor it saw,
 * so the server replays exactly what was missed.
 */
export function createConversationStore(client: Client, conversationId: string, initialVisitorReadSeq = 0) {
  const [state, setState] = createStore<State>({
    messages: [],
    loading: true,
    loadingOlder: false,
    hasOlder: false,
    olderCursor: null,
    lastCursor: null,
    visitorTyping: false,
    visitorReadSeq: initialVisitorReadSeq,
    error: null,
  });
  let live: { unsubscribe(): void } | null = null;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  function add(messages: Message[]) {
    setState('messages', (list) => mergeMessages(list, messages));
  }

  function subscribe() {
    live?.unsubscribe();
    live = client
      .subscription(ConversationEventsSubscription, { conversationId, after: state.lastCursor })
      .subscribe((result) => {
        if (result.error) setState('error', errorMessage(result.error));
        const event = result.data?.conversationEvents;
        if (!event) return;
        if (event.__typename === 'MessageAdded') {
          add([event.message]);
          setState('lastCursor', event.cursor);
          if (event.message.authorKind === 'VISITOR') setVisitorTyping(false);
        } else if (event.__typename === 'TypingChanged' && event.authorKind === 'VISITOR') {
          setVisitorTyping(event.isTyping);
        } else if (event.__typename === 'MessagesRead' && event.authorKind === 'VISITOR') {
          setState('visitorReadSeq', (seq) => Math.max(seq, event.seq));
        }
      });
  }

  function setVisitorTyping(typing: boolean) {
    clearTimeout(typingTimer);
    setState('visitorTyping', typing);
    if (typing) typingTimer = setTimeout(() => setState('visitorTyping', false), typingTimeout);
  }

  async function start() {
    const result = await client.query(MessagesPageQuery, { id: conversationId, last: pageSize }, { requestPolicy: 'network-only' }).toPromise();
    if (disposed) return;
    const page = result.data?.node?.__typename === 'Conversation' ? result.data.node.messages : null;
    if (!page) {
      setState({ loading: false, error: errorMessage(result.error) ?? 'This conversation does not exist or is not yours to see.' });
      return;
    }
    add(page.edges.map((edge) => edge.node));
    setState(
      produce((s) => {
        s.loading = false;
        s.hasOlder = page.pageInfo.hasPreviousPage;
        s.olderCursor = page.pageInfo.startCursor ?? null;
        s.lastCursor = page.pageInfo.endCursor ?? null;
      }),
    );
    subscribe();
  }

  const stopOnDrop = onDrop(() => {
    live?.unsubscribe();
    live = null;
    setVisitorTyping(false);
  });
  const resumeOnReconnect = onReconnect(() => {
    if (state.loading || disposed) return;
    subscribe();
    // belt and braces: the replay brings what was missed; the newest page, read once, makes sure
    void catchUp();
  });

  /** Merges the newest page into the list (messages already there are kept once, by seq). */
  async function catchUp() {
    const result = await client.query(MessagesPageQuery, { id: conversationId, last: pageSize }, { requestPolicy: 'network-only' }).toPromise();
    const page = result.data?.node?.__typename === 'Conversation' ? result.data.node.messages : null;
    if (page && !disposed) add(page.edges.map((edge) => edge.node));
  }

  void start();

  return {
    state,
    /** Fetches the page before the oldest message shown. */
    async loadOlder() {
      if (state.loadingOlder || !state.hasOlder || !state.olderCursor) return;
      setState('loadingOlder', true);
      const result = await client
        .query(MessagesPageQuery, { id: conversationId, last: pageSize, before: state.olderCursor }, { requestPolicy: 'network-only' })
        .toPromise();
      const page = result.data?.node?.__typename === 'Conversation' ? result.data.node.messages : null;
      if (page) {
        add(page.edges.map((edge) => edge.node));
        setState({ hasOlder: page.pageInfo.hasPreviousPage, olderCursor: page.pageInfo.startCursor ?? null });
      }
      setState('loadingOlder', false);
    },
    /** A message the server confirmed to our own send (it also arrives live; kept once). */
    confirmed(message: Message) {
      add([message]);
    },
    dispose() {
      disposed = true;
      live?.unsubscribe();
      clearTimeout(typingTimer);
      stopOnDrop();
      resumeOnReconnect();
    },
  };
}
