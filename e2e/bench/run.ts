import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownTable } from './lib/table.js';
import type { Row, Scenario } from './lib/types.js';
import { scenarios } from './scenarios.js';

/**
 * `npm run bench [-- --quick] [-- --only fanout,inbox]`: every scenario against the PostgreSQL
 * at DATABASE_URL, each beside its baseline in the same run; prints one markdown table and
 * writes it to e2e/bench/results/.
 */
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : null;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'results');
fs.mkdirSync(outDir, { recursive: true });
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const chosen: Scenario[] = scenarios.filter((s) => !only || only.includes(s.name));
const rows: Row[] = [];
const started = Date.now();
let failed = false;
for (const scenario of chosen) {
  log(`${scenario.name}…`);
  const t0 = Date.now();
  try {
    rows.push(...(await scenario.run({ quick, databaseUrl, outDir, log })));
  } catch (error) {
    failed = true;
    log(`${scenario.name} failed: ${(error as Error).stack ?? String(error)}`);
    rows.push({ scenario: scenario.name, metric: 'failed', project: null, baseline: null, better: 'lower', note: String((error as Error).message).slice(0, 120) });
  }
  log(`${scenario.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const table = [
  `Benchmarks${quick ? ' (quick mode)' : ''}, ${new Date().toISOString().slice(0, 16)}Z, ${machine}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  '',
  markdownTable(rows),
].join('\n');
process.stdout.write(`${table}\n`);
fs.writeFileSync(path.join(outDir, quick ? 'quick.md' : 'full.md'), `${table}\n`);
process.exit(failed ? 1 : 0);
