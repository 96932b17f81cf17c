/**
 * A worker thread of a first load: prepares the batches of rows prepare-pool.ts sends it, under the
 * rules the main thread loaded (passed as their text, the same text gives the same rules).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRulesText } from '../engine/load-rules.js';
import { prepareBatch } from '../engine/prepare-batch.js';
import { prepareLines } from './prepare-lines.js';
import type { PrepareReply, PrepareTask, PrepareWorkerData } from './prepare-pool.js';

const { rulesText, today } = workerData as PrepareWorkerData;
const loaded = loadRulesText(rulesText, 'rules');
if (!loaded.ok) throw new Error(`the rules given to a preparing worker do not load: ${loaded.problems.join('; ')}`);
const { rules } = loaded;

parentPort?.on('message', (task: PrepareTask) => {
  const batch =
    'texts' in task
      ? prepareLines(rules, task.source, task.texts, today)
      : prepareBatch(rules, task.source, task.rows, today);
  const reply: PrepareReply = { id: task.id, batch };
  parentPort?.postMessage(reply);
});
