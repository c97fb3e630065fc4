import { describe, expect, it } from 'vitest';
import { ConversationState } from '../src/conversation-state.js';
import { entriesOf, formFieldsOf, modeOf, prechatNeeded } from '../src/presentation.js';
import type { Session } from '../src/types.js';

const session = (extra: { name?: string | null; email?: string | null; fields?: Session['widget']['preChatFields']; online?: boolean } = {}): Session => ({
  visitorToken: 'lcv_x',
  visitor: { id: 'V1', name: extra.name ?? null, email: extra.email ?? null },
  widget: { color: '#2454d6', position: 'BOTTOM_RIGHT', greeting: null, language: 'EN', preChatFields: extra.fields ?? [] },
  agentsOnline: extra.online ?? true,
});
const both = [
  { name: 'NAME' as const, required: true },
  { name: 'EMAIL' as const, required: false },
];

describe('which screen the panel shows', () => {
  const base = { ready: true, thanksEmail: null, prechatDone: false, queued: false };

  it('asks the pre-chat questions until a required one is answered, and optional ones only once', () => {
    expect(prechatNeeded(session({ fields: both }))).toBe(true);
    expect(prechatNeeded(session({ fields: both, name: 'Eva' }))).toBe(false);
    expect(prechatNeeded(session({ fields: [{ name: 'EMAIL', required: false }] }))).toBe(true);
    expect(prechatNeeded(session({ fields: [{ name: 'EMAIL', required: false }], email: 'e@example.com' }))).toBe(false);
    expect(prechatNeeded(session())).toBe(false);
  });

  it('goes loading → offline or pre-chat or chat → thanks as the state says', () => {
    const state = new ConversationState();
    expect(modeOf({ ...base, ready: false, session: session(), state })).toBe('loading');
    expect(modeOf({ ...base, session: session({ online: false }), state })).toBe('offline');
    // what the visitor already typed is sent before anything else is asked
    expect(modeOf({ ...base, session: session({ online: false }), state, queued: true })).toBe('chat');
    expect(modeOf({ ...base, session: session({ fields: both }), state })).toBe('prechat');
    expect(modeOf({ ...base, session: session({ fields: both }), state, prechatDone: true })).toBe('chat');
    expect(modeOf({ ...base, session: session(), state, thanksEmail: 'e@example.com' })).toBe('thanks');
    state.switchTo('C1', 'OPEN');
    // an open conversation is chatted in, agents online or not
    expect(modeOf({ ...base, session: session({ online: false, fields: both }), state })).toBe('chat');
    expect(formFieldsOf('prechat', session({ fields: both }))).toEqual([
      { name: 'name', required: true },
      { name: 'email', required: false },
    ]);
    expect(formFieldsOf('offline', null).map((f) => f.name)).toEqual(['name', 'email', 'message']);
    expect(formFieldsOf('chat', session({ fields: both }))).toEqual([]);
  });

  it('lists the messages once each, names an author once per run, marks the newest read one, then what waits', () => {
    const state = new ConversationState();
    state.switchTo('C1', 'OPEN');
    const at = '2030-01-01T00:00:00.000Z';
    state.add({ id: 'M1', seq: 1, body: 'hi', authorKind: 'VISITOR', createdAt: at, clientMessageId: 'c1', agent: null }, 'k1');
    state.add({ id: 'M2', seq: 2, body: 'hello', authorKind: 'AGENT', createdAt: at, clientMessageId: null, agent: { id: 'A', name: 'Ada', jobTitle: null, motto: null } }, 'k2');
    state.add({ id: 'M3', seq: 3, body: 'and?', authorKind: 'AGENT', createdAt: at, clientMessageId: null, agent: { id: 'A', name: 'Ada', jobTitle: null, motto: null } }, 'k3');
    state.read('AGENT', 1);
    const entries = entriesOf(state, [
      { clientMessageId: 'c1', body: 'hi', createdAt: at },
      { clientMessageId: 'c9', body: 'waiting', createdAt: at },
    ], 'Agent');
    expect(entries.map((e) => [e.key, e.author ?? '', e.note ?? ''])).toEqual([
      ['c1', '', 'seen'],
      ['M2', 'Ada', ''],
      ['M3', '', ''],
      ['c9', '', 'sending'],
    ]);
  });
});
