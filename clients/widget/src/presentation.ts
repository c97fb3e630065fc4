import type { ConversationState } from './conversation-state.js';
import type { FieldSpec } from './forms.js';
import type { OutboxItem } from './outbox.js';
import type { Message, Session } from './types.js';
import type { Entry, Mode } from './ui/view.js';

/** What the panel shows, decided from the widget's state alone (DOM-free, so it is tested without one). */

const offlineFields: FieldSpec[] = [
  { name: 'name', required: true },
  { name: 'email', required: true },
  { name: 'message', required: true },
];

/** The pre-chat form is due: a required detail is missing, or none of the asked ones was given yet (optional ones are asked once). */
export function prechatNeeded(session: Session): boolean {
  const fields = session.widget.preChatFields;
  const missing = fields.filter((f) => !(f.name === 'NAME' ? session.visitor.name : session.visitor.email));
  return missing.some((f) => f.required) || (fields.length > 0 && missing.length === fields.length);
}

export type ModeInput = {
  session: Session | null;
  ready: boolean;
  thanksEmail: string | null;
  prechatDone: boolean;
  state: ConversationState;
  queued: boolean;
};

/** Which of the panel's screens shows: loading, the offline form, the pre-chat form, the thanks note or the chat. */
export function modeOf({ session, ready, thanksEmail, prechatDone, state, queued }: ModeInput): Mode {
  if (!ready || !session) return 'loading';
  if (thanksEmail) return 'thanks';
  if (!session.agentsOnline && !state.isOpen() && !queued) return 'offline';
  if (!prechatDone && !queued && state.conversationId === null && prechatNeeded(session)) return 'prechat';
  return 'chat';
}

/** The form's fields on the current screen. */
export function formFieldsOf(mode: Mode, session: Session | null): FieldSpec[] {
  if (mode === 'offline') return offlineFields;
  if (mode !== 'prechat') return [];
  return (session?.widget.preChatFields ?? []).map((f) => ({ name: f.name === 'NAME' ? 'name' : 'email', required: f.required }));
}

/**
 * The message list's lines: the earlier conversation, the current one, then what waits in the
 * outbox (not yet confirmed). The author is named once per run of messages; "Seen" goes under
 * the visitor's newest message the agents have read.
 */
export function entriesOf(state: ConversationState, outbox: readonly OutboxItem[], agentLabel: string): Entry[] {
  const seen = state.seenSeq();
  const list: Entry[] = [];
  let lastAuthor: string | undefined;
  const add = (m: Message, current: boolean) => {
    const author = m.authorKind === 'VISITOR' ? undefined : (m.agent?.name ?? agentLabel);
    list.push({
      key: m.clientMessageId ?? m.id,
      mine: m.authorKind === 'VISITOR',
      body: m.body,
      at: m.createdAt,
      author: author !== lastAuthor ? author : undefined,
      note: current && m.seq === seen && m.authorKind === 'VISITOR' ? 'seen' : undefined,
    });
    lastAuthor = author;
  };
  for (const m of state.previous) add(m, false);
  for (const m of state.messages) add(m, true);
  const confirmed = state.confirmed();
  for (const item of outbox) {
    if (!confirmed.has(item.clientMessageId)) {
      list.push({ key: item.clientMessageId, mine: true, body: item.body, at: item.createdAt, note: item.failed ? 'failed' : 'sending' });
    }
  }
  return list;
}
