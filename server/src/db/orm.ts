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

/** Connects to PostgreSQL and, unless told not to, brings its schema up to date. */
export async function openOrm(databaseUrl: string, opts: { migrate: boolean; logger?: Logger }) {
  const orm = await MikroORM.init(ormOptions(databaseUrl, opts.logger));
  if (opts.migrate) await orm.getMigrator().up();
  return orm;
}

export type Orm = MikroORM;
