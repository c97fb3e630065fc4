import type { Strings } from './i18n.js';

/** One input of the pre-chat or offline form. */
export type FieldSpec = { name: 'name' | 'email' | 'message'; required: boolean };
export type FormValues = Partial<Record<FieldSpec['name'], string>>;
export type FormErrors = Partial<Record<FieldSpec['name'], string>>;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the form as the server would, before sending: required fields filled, email well-formed. DOM-free. */
export function validate(fields: readonly FieldSpec[], values: FormValues, t: Strings): FormErrors {
  const errors: FormErrors = {};
  for (const field of fields) {
    const value = (values[field.name] ?? '').trim();
    if (!value) {
      if (field.required) errors[field.name] = t.errRequired;
    } else if (field.name === 'email' && !emailPattern.test(value)) {
      errors[field.name] = t.errEmail;
    }
  }
  return errors;
}

/** The server names a bad input as `input.email`: which of our fields is it? */
export function fieldOf(serverField: string | undefined): FieldSpec['name'] | undefined {
  const last = serverField?.split('.').pop();
  return last === 'name' || last === 'email' || last === 'body' ? (last === 'body' ? 'message' : last) : undefined;
}
