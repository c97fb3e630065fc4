/** Every string the widget shows, in English and Czech. */
export type Locale = 'en' | 'cs';

const en = {
  open: 'Open chat',
  close: 'Close chat',
  chat: 'Chat',
  title: 'Chat with us',
  online: 'We usually reply within minutes.',
  away: "We'll answer by email.",
  message: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  typing: (name: string) => `${name} is typing…`,
  agent: 'Agent',
  seen: 'Seen',
  sending: 'Sending…',
  notSent: 'Not sent.',
  retry: 'Retry',
  reconnecting: 'Connecting…',
  name: 'Name',
  email: 'Email',
  required: 'required',
  prechatIntro: 'Before we start, please tell us who you are.',
  startChat: 'Start chat',
  offlineIntro: "We're away right now. Leave a message and we'll answer by email.",
  leaveMessage: 'Send message',
  thanks: (email: string) => `Thanks! We'll answer by email at ${email}.`,
  errRequired: 'Please fill this in.',
  errEmail: 'Please enter a valid email address.',
  errFailed: 'Something went wrong. Please try again.',
};

export type Strings = typeof en;

const cs: Strings = {
  open: 'Otevřít chat',
  close: 'Zavřít chat',
  chat: 'Chat',
  title: 'Napište nám',
  online: 'Obvykle odpovídáme během pár minut.',
  away: 'Odpovíme vám e-mailem.',
  message: 'Zpráva',
  placeholder: 'Napište zprávu…',
  send: 'Odeslat',
  typing: (name) => `${name} píše…`,
  agent: 'Operátor',
  seen: 'Přečteno',
  sending: 'Odesílá se…',
  notSent: 'Neodesláno.',
  retry: 'Zkusit znovu',
  reconnecting: 'Připojování…',
  name: 'Jméno',
  email: 'E-mail',
  required: 'povinné',
  prechatIntro: 'Než začneme, řekněte nám prosím, kdo jste.',
  startChat: 'Začít chat',
  offlineIntro: 'Teď tu nikdo není. Zanechte nám zprávu a odpovíme vám e-mailem.',
  leaveMessage: 'Odeslat zprávu',
  thanks: (email) => `Děkujeme! Odpovíme vám e-mailem na ${email}.`,
  errRequired: 'Vyplňte prosím.',
  errEmail: 'Zadejte prosím platnou e-mailovou adresu.',
  errFailed: 'Něco se pokazilo. Zkuste to prosím znovu.',
};

const dictionaries: Record<Locale, Strings> = { en, cs };

export function strings(locale: Locale): Strings {
  return dictionaries[locale];
}

/** 'cs', 'CS', 'cs-CZ' → 'cs'; anything unknown → null. */
export function toLocale(value: unknown): Locale | null {
  const short = typeof value === 'string' ? value.slice(0, 2).toLowerCase() : '';
  return short === 'en' || short === 'cs' ? short : null;
}
