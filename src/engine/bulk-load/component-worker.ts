/**
 * A worker thread of a first load: resolves the runs of components bulk-load.ts sends it, under the
 * rules the main thread loaded (passed as their text) and with the hubs and term counts it found
 * (sent before the first run: the worker starts while they are being found).
 */
import { workerData } from 'node:worker_threads';
import { NO_TERM_FREQUENCIES, TermCounts, type TermFrequencies } from '../../core/resolve/term-frequencies.js';
import { serveTasks } from '../../runtime/worker-pool.js';
import { loadValidatedRules } from '../rules/load-rules.js';
import { type ComponentRun, resolveComponentRun } from './resolve-component.js';

export interface ComponentWorkerData {
  readonly rulesText: string;
}

/** The hubs and term counts (answered with null), or a run to resolve. */
export type ComponentTask =
  | { readonly hubs: readonly string[]; readonly terms: readonly (readonly [string, string, number])[] }
  | ComponentRun;

const { rulesText } = workerData as ComponentWorkerData;
const { compiled } = loadValidatedRules(rulesText);
let hubSet: ReadonlySet<string> = new Set();
let frequencies: TermFrequencies = NO_TERM_FREQUENCIES;

serveTasks((task: ComponentTask) => {
  if ('hubs' in task) {
    hubSet = new Set(task.hubs);
    if (compiled.termFrequencyFields.length > 0) {
      frequencies = TermCounts.fromEntries(compiled.termFrequencyFields, task.terms);
    }
    return null;
  }
  return resolveComponentRun(task, compiled, hubSet, frequencies);
});
