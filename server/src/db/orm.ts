import pg from 'pg';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';
import type { Logger } from '../shared/logger.js';

/** The ORM settings for a database URL; the schema comes from the committed migrations. */
export function ormOptions(databaseUrl: string, logger?: Logger): Options {
  return {
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false },
    discovery: { warnWhenNoEntities: true },
    forceUtcTimezone: true,
    pool: { min: 0, max: 20 },
    debug: false,
    ...(logger ? { logger: (message: string) => logger.debug({ orm: message }) } : {}),
  };
}

// Any constant works; it names the lock that several instances starting at once take in turn.
const migrationLockId = 4_201_130;

/**
 * Connects to PostgreSQL and, unless told not to, brings its schema up to date. Instances
 * starting together migrate one after another under a PostgreSQL advisory lock.
 */
export async function openOrm(databaseUrl: string, opts: { migrate: boolean; logger?: Logger }) {
  const orm = await MikroORM.init(ormOptions(databaseUrl, opts.logger));
  if (!opts.migrate) return orm;
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [migrationLockId]);
    await orm.getMigrator().up();
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [migrationLockId]).catch(() => {});
    await lock.end();
  }
  return orm;
}

export type Orm = MikroORM;
