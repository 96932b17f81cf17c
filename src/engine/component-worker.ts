/**
 * A worker thread of a first load: resolves the runs of components bulk-load.ts sends it, under the
 * rules the main thread loaded (passed as their text) and with the hubs it found.
 */
import { workerData } from 'node:worker_threads';
import { serveTasks } from '../worker-pool.js';
import { loadRulesText } from './load-rules.js';
import { type ComponentRun, resolveComponentRun } from './resolve-component.js';

export interface ComponentWorkerData {
  readonly rulesText: string;
  readonly hubs: readonly string[];
}

const { rulesText, hubs } = workerData as ComponentWorkerData;
const loaded = loadRulesText(rulesText, 'rules');
if (!loaded.ok) throw new Error(`the rules given to a resolving worker do not load: ${loaded.problems.join('; ')}`);
const { compiled } = loaded.rules;
const hubSet = new Set(hubs);

serveTasks((run: ComponentRun) => resolveComponentRun(run, compiled, hubSet));
