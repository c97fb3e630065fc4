import { wrap, type EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Row } from './topics.js';

/** Secrets never travel in events, even between our own instances. */
const secretProps = new Set(['tokenHash', 'passwordHash', 'inviteTokenHash']);

/** An entity's properties, ready to publish. */
export function toRow(entity: object): Row {
  const pojo = wrap(entity, true).toPOJO() as Record<string, unknown>;
  return Object.fromEntries(Object.entries(pojo).filter(([key]) => !secretProps.has(key))) as Row;
}

/**
 * Turns a published row back into a managed entity of the subscriber's entity manager,
 * without a query, so resolvers render events from what the event carries.
 */
export function fromRow<T extends object>(em: EntityManager, entity: EntityName<T>, row: Row): T {
  const meta = em.getMetadata().get(entity as string);
  const data: Record<string, unknown> = { ...row };
  for (const prop of meta.props) {
    const value = data[prop.name];
    if (typeof value === 'string' && (prop.runtimeType === 'Date' || prop.type === 'datetime' || prop.type === 'Date')) {
      data[prop.name] = new Date(value);
    }
  }
  return em.merge(entity, data as never, { refresh: true, validate: false });
}
