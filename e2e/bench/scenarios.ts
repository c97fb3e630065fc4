import type { Scenario } from './lib/types.js';
import { ingestion } from './ingestion.js';
import { inbox } from './inbox.js';
import { history } from './history.js';
import { startup } from './startup.js';
import { fanout } from './fanout.js';
import { connections } from './connections.js';

/** Every scenario, in the order they run. */
export const scenarios: Scenario[] = [ingestion, inbox, history, startup, fanout, connections];
