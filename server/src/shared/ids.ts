import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { BadUserInputError } from './errors.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NodeTypeName = 'Account' | 'Agent' | 'ApiToken' | 'Visitor' | 'Conversation' | 'Message';

/** Turns a row id into the opaque global id clients see. */
export function toGlobalId(typename: NodeTypeName, id: string): string {
  return encodeGlobalID(typename, id);
}

/** Reads a global id of any type; null for anything malformed, so `node` can answer null. */
export function parseGlobalId(globalId: string): { typename: string; id: string } | null {
  try {
    const { typename, id } = decodeGlobalID(globalId);
    return uuidPattern.test(id) ? { typename, id } : null;
  } catch {
    return null;
  }
}

/** Reads a global id given in an argument, which must be of the expected type. */
export function idOf(typename: NodeTypeName, globalId: string, field: string): string {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.typename !== typename) {
    throw new BadUserInputError(field, `${field}: not a valid ${typename} id.`);
  }
  return parsed.id;
}
