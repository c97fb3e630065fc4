import { z } from 'zod';
import { BadUserInputError } from './errors.js';

/** The path of the first string holding a NUL character, which PostgreSQL text cannot store. */
function nulPath(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (!value || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const found = nulPath(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** Parses a mutation's input with a zod schema; the first problem becomes BAD_USER_INPUT naming its field. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown, prefix = 'input'): z.output<S> {
  const nul = nulPath(input, [prefix]);
  if (nul) throw new BadUserInputError(nul.join('.'), `${nul.join('.')}: must not contain NUL characters`);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [prefix, ...issue.path].join('.');
  throw new BadUserInputError(field, `${field}: ${issue.message}`);
}

/** Text fields: trimmed; blank becomes null where the field is optional. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));
export const email = z.string().trim().toLowerCase().max(254).email('must be an email address');
export const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(200, 'must be at most 200 characters');

/** Whether an update input names a field at all: an omitted field stays as it is, null clears it. */
export function names(input: unknown, field: string): boolean {
  return typeof input === 'object' && input !== null && field in input && (input as Record<string, unknown>)[field] !== undefined;
}
