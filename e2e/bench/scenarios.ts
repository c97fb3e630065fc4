import type { Scenario } from './lib/types.js';

/** Every scenario, in the order they run. */
export const scenarios: Scenario[] = [];
