/**
 * How long to wait before retry number `attempt` (from 0): doubling from ~0.5 s, capped at
 * 10 s, with jitter so that a server restart is not met by every widget at the same instant.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(10_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
