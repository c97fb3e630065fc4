/** Small helpers the realtime scenarios share. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Milliseconds since the epoch with sub-millisecond resolution; the load generators read the same clock. */
export const now = () => performance.timeOrigin + performance.now();

/** The nearest-rank quantile of sorted values. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Polls `check` until it holds, at most `ms`; answers whether it did. */
export async function until(check: () => Promise<boolean>, ms: number, every = 100): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await sleep(every);
  }
}

/**
 * Waits until a process is idle (under 5 % of a core over a 500 ms window), at most `ms`, so
 * work left over from one step (closing sockets) does not run into the next measurement.
 */
export async function settle(cpuSeconds: () => Promise<number>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const before = await cpuSeconds();
    await sleep(500);
    if ((await cpuSeconds()) - before < 0.025) return;
  }
}

export const mib = (bytes: number) => bytes / 2 ** 20;
