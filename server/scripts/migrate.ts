import { loadConfig } from '../src/config.js';
import { openOrm } from '../src/db/orm.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';

/** `npm run db:migrate`: brings the database at DATABASE_URL (or the embedded one) up to date. */
const config = loadConfig();
const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir);
const orm = await openOrm(config.databaseUrl ?? embedded!.url, { migrate: true });
const executed = await orm.getMigrator().getExecutedMigrations();
console.log(`database is at migration ${executed.at(-1)?.name ?? '(none)'}`);
await orm.close();
await embedded?.stop();
