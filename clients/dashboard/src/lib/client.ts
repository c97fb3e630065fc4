import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { cacheExchange, type Cache } from '@urql/exchange-graphcache';
import { createClient as createSocketClient, type Client as SocketClient } from 'graphql-ws';
import { reportConnected, reportDropped } from './connection';
import { session, setSession } from './session';

/** Types without an id of their own: graphcache embeds them in their parent. */
const embedded = [
  'AgentConnection', 'AgentEdge', 'ApiTokenConnection', 'ApiTokenEdge', 'ConversationConnection', 'ConversationEdge',
  'MessageConnection', 'MessageEdge', 'VisitorConnection', 'VisitorEdge', 'PageInfo', 'PageView', 'Software', 'Location',
  'BillingProfile', 'Viewer', 'AuthPayload', 'CreateApiTokenPayload', 'InviteAgentPayload', 'SendMessagePayload',
  'VisitorSessionPayload', 'MessageAdded', 'MessagesRead', 'TypingChanged', 'ConversationUpdated', 'ConversationStarted',
  'VisitorUpdated', 'AgentUpdated', 'WidgetSettings', 'PreChatField', 'PrivacySettings', 'AuditEntryConnection', 'AuditEntryEdge',
  'AuditEntry', 'VisitorExport', 'EraseVisitorPayload',
];

/** Drops every cached page of one of the viewer's account's list fields, so the screens showing it fetch it again. */
export function invalidateAccountList(cache: Cache, fieldName: string) {
  const viewer = cache.resolve('Query', 'viewer') as string | null;
  const account = viewer ? (cache.resolve(viewer, 'account') as string | null) : null;
  if (!account) return;
  for (const field of cache.inspectFields(account)) {
    if (field.fieldName === fieldName) cache.invalidate(account, field.fieldName, field.arguments ?? undefined);
  }
}

type EventData = { accountEvents?: { __typename: string } };

/** The socket: one per signed-in tab, carrying the session token, reconnecting forever with backoff. */
function socketClient(token: string | undefined): SocketClient {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  // A network that vanishes without closing the socket (Wi-Fi lost, laptop asleep) is noticed by
  // a ping left unanswered for 5 s; then the socket is closed and the usual reconnect begins.
  let active: WebSocket | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const client = createSocketClient({
    url,
    lazy: false,
    keepAlive: 20_000,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      const wait = Math.min(1000 * 2 ** retries, 15_000) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, wait));
    },
    connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
    on: {
      connected: (socket) => {
        active = socket as WebSocket;
        reportConnected();
      },
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => {
          if (active?.readyState === WebSocket.OPEN) active.close(4408, 'Ping timeout');
        }, 5_000);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
      closed: (event) => {
        clearTimeout(pongTimer);
        active = null;
        // 4403: the session was revoked (signed out elsewhere, agent removed)
        if ((event as CloseEvent | undefined)?.code === 4403) setSession(null);
        reportDropped();
      },
    },
  });
  // the browser knows the network is gone: no need to wait for the ping
  const onOffline = () => client.terminate();
  window.addEventListener('offline', onOffline);
  const dispose = client.dispose;
  return {
    ...client,
    dispose: () => {
      window.removeEventListener('offline', onOffline);
      return dispose();
    },
  };
}

/** Builds the urql client for the current session: HTTP for queries and mutations, the socket for subscriptions. */
export function createApiClient(): { client: Client; dispose: () => void } {
  const token = session()?.token;
  const socket = socketClient(token);
  const client = new Client({
    url: '/graphql',
    requestPolicy: 'cache-and-network',
    fetchOptions: (): RequestInit => ({ headers: token ? { authorization: `Bearer ${token}` } : {} }),
    exchanges: [
      cacheExchange({
        keys: Object.fromEntries(embedded.map((name) => [name, () => null])),
        updates: {
          Mutation: {
            createApiToken: (_result, _args, cache) => invalidateAccountList(cache, 'apiTokens'),
            revokeApiToken: (_result, _args, cache) => invalidateAccountList(cache, 'apiTokens'),
            // the billing profile has no id of its own: drop it so its screen reads it again
            updateBillingProfile: (_result, _args, cache) => invalidateAccountList(cache, 'billingProfile'),
            updateWidgetSettings: (_result, _args, cache) => invalidateAccountList(cache, 'widgetSettings'),
            updatePrivacySettings: (_result, _args, cache) => {
              invalidateAccountList(cache, 'privacySettings');
              invalidateAccountList(cache, 'auditLog');
            },
            exportVisitor: (_result, _args, cache) => invalidateAccountList(cache, 'auditLog'),
            // the server announces no event for an erasure: the lists showing the visitor are read again
            eraseVisitor: (_result, _args, cache) => {
              for (const field of ['conversations', 'visitors', 'auditLog']) invalidateAccountList(cache, field);
            },
            inviteAgent: (_result, _args, cache) => invalidateAccountList(cache, 'agents'),
            removeAgent: (_result, _args, cache) => invalidateAccountList(cache, 'agents'),
            assignConversation: (_result, _args, cache) => invalidateAccountList(cache, 'conversations'),
            setConversationStatus: (_result, _args, cache) => invalidateAccountList(cache, 'conversations'),
            // unread counts in the inbox and the tab title
            markRead: (_result, _args, cache) => invalidateAccountList(cache, 'conversations'),
          },
          Subscription: {
            accountEvents: (result, _args, cache) => {
              const event = (result as EventData).accountEvents;
              if (!event) return;
              if (event.__typename === 'ConversationStarted' || event.__typename === 'ConversationUpdated' || event.__typename === 'MessageAdded') {
                invalidateAccountList(cache, 'conversations');
              }
              if (event.__typename === 'AgentUpdated') invalidateAccountList(cache, 'agents');
            },
          },
        },
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: socket.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { client, dispose: () => void socket.dispose() };
}
