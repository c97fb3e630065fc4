import type { Row } from './types.js';

const figure = (n: number | null) =>
  n === null ? '—' : Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString();

/** The ratio project / baseline, the number every target is stated in. */
export const ratio = (row: Row) => (row.project !== null && row.baseline ? row.project / row.baseline : null);

/** The results as one markdown table. */
export function markdownTable(rows: Row[]): string {
  const lines = [
    '| scenario | metric | project | baseline | ratio | target | met |',
    '| --- | --- | ---: | ---: | ---: | --- | :---: |',
  ];
  for (const row of rows) {
    const r = ratio(row);
    lines.push(
      `| ${row.scenario} | ${row.metric}${row.note ? ` (${row.note})` : ''} | ${figure(row.project)} | ${figure(row.baseline)} | ${r === null ? '—' : r.toFixed(2)} | ${row.target ?? ''} | ${row.met === undefined ? '' : row.met ? 'yes' : 'no'} |`,
    );
  }
  return lines.join('\n');
}
