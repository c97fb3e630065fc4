import { wrap } from '@mikro-orm/core';

/** Tells entities apart for GraphQL's abstract types (the Node interface). */
export function isEntityOf(entityName: string) {
  return (value: unknown): boolean => {
    if (!value || typeof value !== 'object') return false;
    return wrap(value as object, true).__meta?.className === entityName;
  };
}
