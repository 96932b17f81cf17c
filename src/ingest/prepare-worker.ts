/**
 * A worker thread of a first load: prepares the batches of rows prepare-pool.ts sends it, under the
 * rules the main thread loaded (passed as their text, the same text gives the same rules).
 */
import { workerData } from 'node:worker_threads';
import { prepareBatch } from '../engine/prepare/prepare-batch.js';
import { loadValidatedRules } from '../engine/rules/load-rules.js';
import { serveTasks } from '../runtime/worker-pool.js';
import { prepareChunk } from './prepare-lines.js';
import { type PrepareTask, type PrepareWorkerData, toReply } from './prepare-pool.js';

const { rulesText, today } = workerData as PrepareWorkerData;
const rules = loadValidatedRules(rulesText);

serveTasks((task: PrepareTask) =>
  'chunk' in task
    ? toReply(prepareChunk(rules, task.source, task.chunk, today))
    : toReply(prepareBatch(rules, task.source, task.rows, today)),
);
