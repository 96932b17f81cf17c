/**
 * A worker thread of a first load: resolves the runs of components bulk-load.ts sends it, under the
 * rules the main thread loaded (passed as their text) and with the hubs it found.
 */
import { workerData } from 'node:worker_threads';
import { serveTasks } from '../worker-pool.js';
import { loadValidatedRules } from './load-rules.js';
import { type ComponentRun, resolveComponentRun } from './resolve-component.js';

export interface ComponentWorkerData {
  readonly rulesText: string;
  readonly hubs: readonly string[];
}

const { rulesText, hubs } = workerData as ComponentWorkerData;
const { compiled } = loadValidatedRules(rulesText);
const hubSet = new Set(hubs);

serveTasks((run: ComponentRun) => resolveComponentRun(run, compiled, hubSet));
