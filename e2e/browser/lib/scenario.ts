import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { inviteAndAccept, signUp, unique, widgetKey, type AgentSession } from './api.js';
import { newContext, OriginGuard, sessionOf } from './browser.js';
import type { EventStream } from './events.js';
import { Visitor, type ConversationEvent } from './visitor.js';

export type Agent = { name: string; email: string; password: string; session: AgentSession };

/** A fresh account (its owner signed in, in browser context A, on the inbox) and optionally a second agent. */
export type Scenario = {
  id: string;
  company: string;
  owner: Agent;
  colleague: Agent | null;
  guard: OriginGuard;
  contextA: BrowserContext;
  pageA: Page;
  /** Browser contexts opened for this scenario, closed by `close()`. */
  contexts: BrowserContext[];
  close(): Promise<void>;
};

export async function openScenario(browser: Browser, options: { colleague?: boolean } = {}): Promise<Scenario> {
  const id = unique();
  const company = `Acme ${id}`;
  const ownerInput = { name: 'Ada Owner', email: `ada-${id}@example.com`, password: 'correct horse battery' };
  const owner: Agent = { ...ownerInput, session: await signUp({ accountName: company, ...ownerInput }) };
  let colleague: Agent | null = null;
  if (options.colleague) {
    const input = { name: 'Bea Agent', email: `bea-${id}@example.com`, password: 'staple battery horse' };
    colleague = { ...input, session: await inviteAndAccept(owner.session.token, input) };
  }
  const guard = new OriginGuard();
  const contextA = await newContext(browser, guard, owner.session);
  const pageA = await contextA.newPage();
  await pageA.goto('/inbox');
  await expect(pageA.getByText(owner.name, { exact: true })).toBeVisible();
  const contexts = [contextA];
  return {
    id,
    company,
    owner,
    colleague,
    guard,
    contextA,
    pageA,
    contexts,
    async close() {
      for (const context of contexts) await context.close();
    },
  };
}

export type Chat = { visitor: Visitor; events: EventStream<ConversationEvent>; conversationId: string; first: { id: string; seq: number; body: string } };

export const visitorName = 'Eva Visitor';

/**
 * A visitor of the account (its widget key read with the session that context A keeps in
 * localStorage) gives its name and starts a conversation; its socket follows the conversation.
 */
export async function startChat(scenario: Scenario, firstBody: string): Promise<Chat> {
  const { token } = await sessionOf(scenario.pageA);
  const visitor = await Visitor.start(await widgetKey(token));
  await visitor.identify(visitorName, `eva-${scenario.id}@example.net`);
  const first = await visitor.send(firstBody);
  if (!visitor.conversationId) throw new Error('sending the first message started no conversation');
  const events = await visitor.follow();
  return { visitor, events, conversationId: visitor.conversationId, first };
}

/** The events the visitor's subscription delivers, picked by kind. */
export const is = {
  message: (body: string, authorKind?: string) => (e: ConversationEvent): e is Extract<ConversationEvent, { __typename: 'MessageAdded' }> =>
    e.__typename === 'MessageAdded' && e.message.body === body && (authorKind === undefined || e.message.authorKind === authorKind),
  typing: (authorKind: string, isTyping: boolean) => (e: ConversationEvent): e is Extract<ConversationEvent, { __typename: 'TypingChanged' }> =>
    e.__typename === 'TypingChanged' && e.authorKind === authorKind && e.isTyping === isTyping,
  read: (authorKind: string, seq: number) => (e: ConversationEvent): e is Extract<ConversationEvent, { __typename: 'MessagesRead' }> =>
    e.__typename === 'MessagesRead' && e.authorKind === authorKind && e.seq >= seq,
  updated: (test: (conversation: Extract<ConversationEvent, { __typename: 'ConversationUpdated' }>['conversation']) => boolean) =>
    (e: ConversationEvent): e is Extract<ConversationEvent, { __typename: 'ConversationUpdated' }> => e.__typename === 'ConversationUpdated' && test(e.conversation),
};

/** Escapes text for use inside a RegExp. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
