import { randomBytes } from 'node:crypto';
import pg from 'pg';

async function onDatabase(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database on the benchmark's PostgreSQL, dropped by `drop`. */
export async function freshDatabase(serverUrl: string, label: string) {
  const name = `bench_${label}_${randomBytes(4).toString('hex')}`;
  await onDatabase(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onDatabase(serverUrl, `drop database if exists ${name} with (force)`) };
}
