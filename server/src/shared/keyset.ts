import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery, QueryOrder } from '@mikro-orm/core';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { BadUserInputError } from './errors.js';

import { defaultPageSize, maxPageSize } from './limits.js';

export type ConnectionArgs = {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
};

type KeyType = 'date' | 'string' | 'number';
export type SortKey<T> = { field: keyof T & string; type: KeyType; dir: 'asc' | 'desc' };

export type Edge<T> = { cursor: string; node: T };
export type Connection<T> = {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
};

/** Cursors are opaque to clients: the row's sort-key values, base64url-encoded. */
export function encodeCursor(values: (string | number | Date)[]): string {
  const plain = values.map((v) => (v instanceof Date ? v.toISOString() : v));
  return Buffer.from(JSON.stringify(plain)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, keys: SortKey<T>[], field: string): (string | number | Date)[] {
  const bad = () => new BadUserInputError(field, `${field}: not a valid cursor.`);
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(values) || values.length !== keys.length) throw bad();
  return keys.map((key, i) => {
    const v = values[i];
    if (key.type === 'number') {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad();
      return v;
    }
    if (typeof v !== 'string' || v.length > 100) throw bad();
    if (key.type === 'date') {
      const date = new Date(v);
      const year = date.getUTCFullYear();
      if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) throw bad();
      return date;
    }
    if (!/^[0-9a-f-]{36}$/i.test(v)) throw bad();
    return v;
  });
}

/** Reads and checks first/last; the page size is capped so no request can ask for everything. */
export function pageSize(args: ConnectionArgs): { limit: number; backward: boolean } {
  if (args.first != null && args.last != null) {
    throw new BadUserInputError('last', 'Pass either first or last, not both.');
  }
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && (value < 0 || value > maxPageSize)) {
      throw new BadUserInputError(name, `${name} must be between 0 and ${maxPageSize}.`);
    }
  }
  const backward = args.last != null || (args.first == null && args.before != null);
  return { limit: args.first ?? args.last ?? defaultPageSize, backward };
}

function keysetFilter<T>(keys: SortKey<T>[], values: unknown[], towardEnd: boolean): FilterQuery<T> {
  const alternatives = keys.map((key, i) => {
    const forwardOp = key.dir === 'asc' ? '$gt' : '$lt';
    const op = towardEnd ? forwardOp : forwardOp === '$gt' ? '$lt' : '$gt';
    const condition: Record<string, unknown> = {};
    keys.slice(0, i).forEach((k, j) => (condition[k.field] = values[j]));
    condition[key.field] = { [op]: values[i] };
    return condition;
  });
  return { $or: alternatives } as FilterQuery<T>;
}

/**
 * Reads one page's rows: by default `em.find`; a module may read the rows together with
 * what the page shows of them (see conversations.service.ts) in the same statement.
 */
export type PageReader<T> = (where: FilterQuery<T>, orderBy: Record<string, QueryOrder>, limit: number) => Promise<T[]>;

/**
 * A Relay connection read by keyset (never OFFSET), so a page costs the same at row ten
 * and at row ten million. `where` must already hold the viewer's tenant scope.
 */
export async function keysetConnection<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  keys: SortKey<T>[],
  args: ConnectionArgs,
  read?: PageReader<T>,
): Promise<Connection<T>> {
  const { limit, backward } = pageSize(args);
  const filters: FilterQuery<T>[] = [where];
  if (args.after) filters.push(keysetFilter(keys, decodeCursor(args.after, keys, 'after'), true));
  if (args.before) filters.push(keysetFilter(keys, decodeCursor(args.before, keys, 'before'), false));
  const flip = (dir: 'asc' | 'desc') => (dir === 'asc' ? 'desc' : 'asc');
  const orderBy = Object.fromEntries(keys.map((k) => [k.field, backward ? flip(k.dir) : k.dir])) as Record<string, QueryOrder>;
  const filter = { $and: filters } as FilterQuery<T>;
  const rows =
    limit === 0
      ? []
      : read
        ? await read(filter, orderBy, limit + 1)
        : ((await em.find(entity, filter, { orderBy: orderBy as never, limit: limit + 1 })) as T[]);
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backward) page.reverse();
  const cursorOf = (row: T) => encodeCursor(keys.map((k) => row[k.field] as string | number | Date));
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: backward ? args.before != null : hasMore,
      hasPreviousPage: backward ? hasMore : args.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * The fields a query selects on a connection's nodes (`edges { node { … } }`), through
 * fragments too, so a page can read what it will show in the same statement as its rows.
 */
export function selectedNodeFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Set<string> {
  const fields = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, path: string[]) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (path.length === 0) fields.add(selection.name.value);
        else if (selection.name.value === path[0]) walk(selection.selectionSet, path.slice(1));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, path);
      } else {
        walk(info.fragments[selection.name.value]?.selectionSet, path);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet, ['edges', 'node']);
  return fields;
}
