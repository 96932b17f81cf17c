/**
 * A worker thread of a first load: prepares the batches of rows prepare-pool.ts sends it, under the
 * rules the main thread loaded (passed as their text, the same text gives the same rules).
 */
import { workerData } from 'node:worker_threads';
import { loadRulesText } from '../engine/load-rules.js';
import { prepareBatch } from '../engine/prepare-batch.js';
import { serveTasks } from '../worker-pool.js';
import { prepareLines } from './prepare-lines.js';
import type { PrepareTask, PrepareWorkerData } from './prepare-pool.js';

const { rulesText, today } = workerData as PrepareWorkerData;
const loaded = loadRulesText(rulesText, 'rules');
if (!loaded.ok) throw new Error(`the rules given to a preparing worker do not load: ${loaded.problems.join('; ')}`);
const { rules } = loaded;

serveTasks((task: PrepareTask) =>
  'texts' in task
    ? prepareLines(rules, task.source, task.texts, today)
    : prepareBatch(rules, task.source, task.rows, today),
);
