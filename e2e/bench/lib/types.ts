/** One line of the results table: the project's figure beside the baseline's, same run, same machine. */
export type Row = {
  scenario: string;
  /** what is measured, with its unit, e.g. "p99 latency (ms)" */
  metric: string;
  project: number | null;
  baseline: number | null;
  /** lower is better (latency, memory) or higher is better (throughput) */
  better: 'lower' | 'higher';
  /** the target, in words, when the issue sets one (e.g. "ratio ≤ 2") */
  target?: string;
  /** whether the target is met, when there is one */
  met?: boolean;
  note?: string;
};

export type BenchOptions = {
  quick: boolean;
  /** a PostgreSQL server URL; each scenario makes its own databases on it */
  databaseUrl: string;
  /** where results and logs go */
  outDir: string;
  log: (line: string) => void;
};

/** A scenario bounds its own time, starts what it needs and stops it, and returns its rows. */
export type Scenario = { name: string; run: (options: BenchOptions) => Promise<Row[]> };
