import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
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

/** `npm run build -w clients/dashboard` from the repository's root, failing with its output. */
async function buildDashboard() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawn(npm, ['run', 'build', '-w', 'clients/dashboard'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`building the dashboard failed (exit ${code}):\n${output}`);
}

/**
 * Builds the dashboard, creates a fresh database `e2e_<random>` on the PostgreSQL server of
 * DATABASE_URL (or the local one), and starts one server process on it the way `npm start`
 * does. Its URL reaches the tests as E2E_BASE_URL. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  mkdirSync(screenshotsDir, { recursive: true });
  if (process.env.E2E_SKIP_BUILD !== '1') await buildDashboard();

  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `e2e_${randomBytes(4).toString('hex')}`;
  try {
    await onDatabase(adminUrl, `create database ${name}`);
  } catch (error) {
    throw new Error(`cannot create the test database on ${new URL(adminUrl).host} (is PostgreSQL running? set DATABASE_URL): ${String(error)}`);
  }
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;
  const dropDatabase = () => onDatabase(adminUrl, `drop database if exists ${name} with (force)`);

  // REDIS_URL (and the rest of the environment) passes through to the server as it is.
  let server: ServerProcess;
  try {
    server = await startServer(databaseUrl.toString(), { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false' });
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  // The server's warnings and errors, for when a test fails for a reason the page does not show.
  const log = createWriteStream(path.join(artifactsDir, 'server.log'));
  server.child.stdout?.pipe(log);
  server.child.stderr?.pipe(log);
  process.env.E2E_BASE_URL = server.url;
  process.stderr.write(`[e2e] server ${server.url} (pid ${server.pid}) on database ${name}\n`);

  return async () => {
    await server.stop();
    log.end();
    await dropDatabase();
  };
}
