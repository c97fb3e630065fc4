import type { TestApp } from './app.js';

/** Every row of every table of a test app's database, as JSON text, sorted, by table. */
export type Snapshot = Map<string, string[]>;

/** The app's tables but the migrations bookkeeping. */
export async function dataTables(app: TestApp): Promise<string[]> {
  const { rows } = await app.sql(
    `select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'mikro_orm_migrations' order by table_name`,
  );
  return rows.map((r) => r.table_name as string);
}

/** Reads the whole database, row by row: what a privacy test compares before and after. */
export async function snapshot(app: TestApp, tables?: string[]): Promise<Snapshot> {
  const result: Snapshot = new Map();
  for (const table of tables ?? (await dataTables(app))) {
    const { rows } = await app.sql(`select row_to_json(t)::text as row from "${table}" t`);
    result.set(table, rows.map((r) => r.row as string).sort());
  }
  return result;
}

/** What changed between two snapshots, table by table (tables without a change left out). */
export function diff(before: Snapshot, after: Snapshot) {
  const changes: Record<string, { removed: any[]; added: any[] }> = {};
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const was = new Set(before.get(table) ?? []);
    const is = new Set(after.get(table) ?? []);
    const removed = [...was].filter((row) => !is.has(row)).map((row) => JSON.parse(row));
    const added = [...is].filter((row) => !was.has(row)).map((row) => JSON.parse(row));
    if (removed.length || added.length) changes[table] = { removed, added };
  }
  return changes;
}
