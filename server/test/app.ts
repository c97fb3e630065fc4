import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startRuntime, type Runtime } from '../src/runtime.js';
import { createLogger } from '../src/shared/logger.js';

export type TestApp = Runtime & {
  databaseUrl: string;
  /** a query on this app's database, beside the server */
  sql: (text: string, params?: unknown[]) => Promise<pg.QueryResult>;
  /** a query on the server's maintenance database, for what cannot run inside this app's own */
  adminSql: (text: string, params?: unknown[]) => Promise<pg.QueryResult>;
};

async function onDatabase(url: string, text: string, params?: unknown[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A real server on a free port over a fresh database of its own, so test files never see
 * each other's rows. `stop` closes it and drops the database.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const baseUrl = inject('databaseUrl');
  const database = `test_${randomBytes(6).toString('hex')}`;
  await onDatabase(baseUrl, `create database ${database}`);
  const databaseUrl = withDatabase(baseUrl, database);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    REDIS_PREFIX: `${database}:`,
    // the suites send as fast as they can from one address; rate-limits.test.ts sets its own limits
    RATE_LIMIT_VISITOR_SESSIONS: '0',
    RATE_LIMIT_VISITOR_MESSAGES: '0',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  });
  const runtime = await startRuntime(config, createLogger(config.logLevel));
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => {}); // a test may cut the database off on purpose
  return {
    ...runtime,
    databaseUrl,
    sql: (text, params) => pool.query(text, params),
    adminSql: (text, params) => onDatabase(baseUrl, text, params),
    stop: async () => {
      await runtime.stop();
      await pool.end();
      await onDatabase(baseUrl, `drop database if exists ${database} with (force)`);
    },
  };
}
