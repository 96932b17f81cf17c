/**
 * The thread that writes the record side of the import files (record-files.ts), so the main thread
 * goes on with profiles, events and the next commit meanwhile. Tasks come in the order the commits
 * were made, and a single thread answers them in that order.
 */
import { workerData } from 'node:worker_threads';
import { serveTasks } from '../../../runtime/worker-pool.js';
import type { WrittenFile } from './file-specs.js';
import { type RecordBatch, RecordFiles } from './record-files.js';

export interface RecordFilesWorkerData {
  readonly folder: string;
  readonly rulesText: string | undefined;
}

export type RecordFilesTask = RecordBatch | 'finish' | 'abandon';

const { folder, rulesText } = workerData as RecordFilesWorkerData;
const files = new RecordFiles(folder, rulesText);

serveTasks((task: RecordFilesTask): WrittenFile[] | null => {
  if (task === 'finish') return files.finish();
  if (task === 'abandon') {
    files.abandon();
    return null;
  }
  files.add(task);
  return null;
});
