import type { FieldSpec, FormErrors, FormValues } from '../forms.js';
import type { Strings } from '../i18n.js';
import { css, safeColor, textOn } from '../styles.js';
import { h, icon, icons, linkify } from './dom.js';

export type Mode = 'loading' | 'chat' | 'prechat' | 'offline' | 'thanks';

/** One line of the message list: a confirmed message or one still in the outbox. */
export type Entry = {
  /** clientMessageId when there is one, so a pending line turns into the confirmed one in place. */
  key: string;
  mine: boolean;
  body: string;
  at: string;
  /** The agent's name, on the first of a run of their messages. */
  author?: string;
  note?: 'sending' | 'failed' | 'seen';
};

/** Everything the view shows; the controller computes it, the view only draws it. */
export type ViewModel = {
  t: Strings;
  open: boolean;
  unread: number;
  title: string;
  subtitle: string;
  initial: string;
  mode: Mode;
  greeting: string | null;
  entries: Entry[];
  typing: string | null;
  connected: boolean;
  fields: FieldSpec[];
  values: FormValues;
  errors: FormErrors;
  formError: string | null;
  busy: boolean;
  thanks: string;
};

export type ViewHandlers = {
  toggle(open: boolean): void;
  /** Returns whether the text was taken (not empty), so the textarea is cleared. */
  send(body: string): boolean;
  input(): void;
  retry(clientMessageId: string): void;
  submit(values: FormValues): void;
};

export type View = { update(model: ViewModel): void };

type FormParts = {
  inputs: Map<FieldSpec['name'], HTMLInputElement | HTMLTextAreaElement>;
  errors: Map<FieldSpec['name'], HTMLElement>;
  general: HTMLElement;
  submit: HTMLButtonElement | null;
};

/** Builds the launcher and the panel into the shadow root once; `update` changes only what differs. */
export function createView(root: ShadowRoot, settings: { color: string; left: boolean }, on: ViewHandlers): View {
  let model: ViewModel | null = null;
  const color = safeColor(settings.color);

  const openIcon = icon(icons.chat);
  const closeIcon = icon(icons.close);
  const badge = h('span', { class: 'bd', 'aria-hidden': 'true', hidden: true });
  const launcher = h('button', { class: 'ln', type: 'button', 'aria-controls': 'lc-p', onclick: () => on.toggle(!model?.open) }, openIcon, closeIcon, badge);
  // the badge is hidden from screen readers: the launcher's label says it instead
  const avatar = h('div', { class: 'av', 'aria-hidden': 'true' });
  const title = h('div', { class: 'tt' });
  const subtitle = h('div', { class: 'st' });
  const closeButton = h('button', { class: 'x', type: 'button', onclick: () => on.toggle(false) }, icon(icons.close));
  const status = h('div', { class: 'cn', role: 'status' });

  const greetingText = h('div', { class: 'b' });
  const greeting = h('div', { class: 'm' }, greetingText);
  const log = h('div', { class: 'lg', role: 'log', 'aria-live': 'polite' }, greeting);
  const typing = h('div', { class: 'ty', 'aria-live': 'polite' });

  const textarea = h('textarea', {
    id: 'lc-t',
    rows: 1,
    maxlength: 10000,
    onkeydown: (event) => {
      const e = event as KeyboardEvent;
      // Enter sends, Shift+Enter is a new line; never while an IME is composing a character
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        sendText();
      }
    },
    oninput: () => {
      fit();
      on.input();
    },
  });
  const label = h('label', { class: 'sr', for: 'lc-t' });
  const sendButton = h('button', { class: 'sb', type: 'submit' }, icon(icons.send));
  const composer = h('form', { class: 'cp', onsubmit: (e) => (e.preventDefault(), sendText()) }, label, textarea, sendButton);
  const formHost = h('div', { class: 'fm' });

  const panel = h(
    'div',
    {
      class: 'p',
      id: 'lc-p',
      role: 'dialog',
      hidden: true,
    },
    h('div', { class: 'hd' }, avatar, h('div', { class: 'ht' }, title, subtitle), closeButton),
    status,
    log,
    typing,
    composer,
    formHost,
  );
  // Escape anywhere in the widget (panel or launcher) closes the panel
  const wrap = h(
    'div',
    {
      class: settings.left ? 'w l' : 'w',
      onkeydown: (event) => {
        if ((event as KeyboardEvent).key === 'Escape' && model?.open) {
          event.stopPropagation();
          on.toggle(false);
        }
      },
    },
    panel,
    launcher,
  );
  wrap.style.setProperty('--c', color);
  wrap.style.setProperty('--t', textOn(color));
  const style = h('style');
  style.textContent = css;
  root.append(style, wrap);

  function fit() {
    textarea.style.height = 'auto';
    textarea.style.height = `${Math.min(textarea.scrollHeight, 120)}px`;
  }

  function sendText() {
    if (on.send(textarea.value)) {
      textarea.value = '';
      fit();
      textarea.focus();
    }
  }

  // ---- the message list, keyed: lines are added and changed in place, so the live region
  // announces only what is new instead of the whole conversation again
  const lines = new Map<string, { el: HTMLElement; note: HTMLElement; shown: string }>();

  function drawEntries(m: ViewModel) {
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
    greeting.hidden = !m.greeting;
    greetingText.textContent = m.greeting ?? '';
    let previous: Element = greeting;
    let mineAdded = false;
    const keep = new Set<string>();
    for (const entry of m.entries) {
      keep.add(entry.key);
      let line = lines.get(entry.key);
      if (!line) {
        const note = h('div', { class: 'n' });
        const body = h('div', { class: 'b', title: new Date(entry.at).toLocaleString() }, ...linkify(entry.body));
        const el = h('div', { class: entry.mine ? 'm v' : 'm' }, !entry.mine && entry.author ? h('div', { class: 'au' }, entry.author) : null, body, note);
        line = { el, note, shown: '' };
        lines.set(entry.key, line);
        mineAdded ||= entry.mine;
      }
      const shown = entry.note ? `${entry.note}:${m.t.seen}` : '';
      if (line.shown !== shown) {
        line.shown = shown;
        line.el.classList.toggle('f', entry.note === 'failed');
        line.note.replaceChildren();
        if (entry.note === 'failed') {
          line.note.append(m.t.notSent, h('button', { type: 'button', onclick: () => on.retry(entry.key) }, m.t.retry));
        } else if (entry.note) {
          line.note.append(entry.note === 'seen' ? m.t.seen : m.t.sending);
        }
      }
      if (previous.nextElementSibling !== line.el) previous.after(line.el);
      previous = line.el;
    }
    for (const [key, line] of lines) {
      if (!keep.has(key)) {
        line.el.remove();
        lines.delete(key);
      }
    }
    if (atBottom || mineAdded) log.scrollTop = log.scrollHeight;
  }

  // ---- the pre-chat, offline and thanks views: rebuilt when the mode, fields or language change
  let formKey = '';
  let form: FormParts | null = null;
  let shownErrors = '';

  function buildForm(m: ViewModel): FormParts | null {
    const kept: FormValues = {};
    for (const [name, input] of form?.inputs ?? []) kept[name] = input.value;
    const t = m.t;
    if (m.mode === 'thanks') {
      formHost.replaceChildren(h('p', { role: 'status' }, t.thanks(m.thanks)));
      return null;
    }
    const parts: FormParts = { inputs: new Map(), errors: new Map(), general: h('div', { class: 'er', role: 'alert' }), submit: null };
    const rows = m.fields.map((field) => {
      const id = `lc-${field.name}`;
      const attrs = { id, name: field.name, required: field.required, 'aria-describedby': `${id}-e` };
      const input =
        field.name === 'message'
          ? h('textarea', { ...attrs, rows: 4, maxlength: 10000 })
          : h('input', { ...attrs, type: field.name === 'email' ? 'email' : 'text', autocomplete: field.name, maxlength: field.name === 'name' ? 100 : 254 });
      input.value = kept[field.name] ?? m.values[field.name] ?? '';
      const error = h('div', { class: 'er', id: `${id}-e` });
      parts.inputs.set(field.name, input);
      parts.errors.set(field.name, error);
      const text = field.name === 'message' ? t.message : field.name === 'email' ? t.email : t.name;
      return h('div', { class: 'fd' }, h('label', { for: id }, text, field.required ? h('span', { title: t.required }, ' *') : null), input, error);
    });
    parts.submit = h('button', { class: 'go', type: 'submit' }, m.mode === 'offline' ? t.leaveMessage : t.startChat);
    const values = () => {
      const v: FormValues = {};
      for (const [name, input] of parts.inputs) v[name] = input.value;
      return v;
    };
    formHost.replaceChildren(
      h(
        'form',
        { novalidate: true, onsubmit: (e) => (e.preventDefault(), on.submit(values())) },
        // the greeting belongs to the chat's opening, and the pre-chat form is that opening
        m.mode === 'prechat' && m.greeting ? h('p', { class: 'gr' }, m.greeting) : null,
        h('p', null, m.mode === 'offline' ? t.offlineIntro : t.prechatIntro),
        ...rows,
        parts.general,
        parts.submit,
      ),
    );
    return parts;
  }

  function drawForm(m: ViewModel, previous: ViewModel | null) {
    const key = `${m.mode}|${m.fields.map((f) => f.name + f.required).join()}|${m.greeting ?? ''}`;
    if (key !== formKey || m.t !== previous?.t) {
      formKey = key;
      form = m.mode === 'chat' || m.mode === 'loading' ? null : buildForm(m);
      if (!form) shownErrors = '';
    }
    if (!form) return;
    let firstInvalid: HTMLElement | null = null;
    for (const [name, error] of form.errors) {
      const message = m.errors[name] ?? '';
      error.textContent = message;
      const input = form.inputs.get(name)!;
      input.setAttribute('aria-invalid', String(Boolean(message)));
      if (message && !firstInvalid) firstInvalid = input;
    }
    form.general.textContent = m.formError ?? '';
    form.general.hidden = !m.formError;
    // aria-disabled, not disabled: a disabled button drops the focus out of the panel
    form.submit?.setAttribute('aria-disabled', String(m.busy));
    const errors = JSON.stringify(m.errors);
    if (errors !== shownErrors) {
      shownErrors = errors;
      firstInvalid?.focus();
    }
  }

  /** Nothing has the focus (the element that had it went away): it may come into the panel. */
  const lostFocus = () => !document.activeElement || document.activeElement === document.body;

  function focusInside() {
    const target = model?.mode === 'chat' ? textarea : formHost.querySelector<HTMLElement>('input,textarea') ?? closeButton;
    target.focus();
  }

  return {
    update(m) {
      const previous = model;
      model = m;
      const t = m.t;
      const focusWasInside = panel.contains(root.activeElement);

      launcher.setAttribute('aria-label', m.unread && !m.open ? `${t.open} (${m.unread})` : m.open ? t.close : t.open);
      launcher.setAttribute('aria-expanded', String(m.open));
      openIcon.hidden = m.open;
      closeIcon.hidden = !m.open;
      badge.hidden = m.open || !m.unread;
      badge.textContent = m.unread > 99 ? '99+' : String(m.unread);

      panel.setAttribute('aria-label', t.chat);
      closeButton.setAttribute('aria-label', t.close);
      avatar.textContent = m.initial;
      avatar.hidden = !m.initial;
      title.textContent = m.title;
      subtitle.textContent = m.subtitle;
      status.textContent = t.reconnecting;
      status.hidden = m.connected;
      label.textContent = t.message;
      textarea.placeholder = t.placeholder;
      sendButton.setAttribute('aria-label', t.send);

      const chatting = m.mode === 'chat';
      log.hidden = typing.hidden = composer.hidden = !chatting;
      formHost.hidden = chatting || m.mode === 'loading';
      drawEntries(m);
      typing.textContent = m.typing ?? '';
      drawForm(m, previous);

      panel.hidden = !m.open;
      if (m.open && !previous?.open) {
        log.scrollTop = log.scrollHeight;
        focusInside();
      } else if (m.open && previous && previous.mode !== m.mode && (focusWasInside || lostFocus())) {
        focusInside(); // e.g. the pre-chat form was sent: on to the message box
      }
      // closing (Escape, the close button) hands focus back to the launcher, not to the page's top
      if (!m.open && previous?.open && focusWasInside) launcher.focus();
    },
  };
}
