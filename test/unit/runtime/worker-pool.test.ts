/** The worker pool: answers come back to their tasks, and a failed worker fails what is out and what follows. */
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../../src/runtime/worker-pool.js';

const besideWorker = new URL('../../support/doubling-worker.ts', import.meta.url).href;

type DoublingTask = { value: number; total?: boolean; fail?: boolean };

/** A pool of `size` doubling workers (test/support/doubling-worker.ts) for `use`, closed after. */
async function withPool(size: number, use: (pool: WorkerPool<DoublingTask, number>) => Promise<void>): Promise<void> {
  const pool = WorkerPool.start<DoublingTask, number>(besideWorker, 'doubling-worker', undefined, size);
  try {
    await use(pool);
  } finally {
    await pool.close();
  }
}

describe('WorkerPool', () => {
  it('answers each task, whichever worker took it', () =>
    withPool(2, async (pool) => {
      const answers = await Promise.all([1, 2, 3, 4, 5].map((value) => pool.run({ value })));
      expect(answers).toEqual([2, 4, 6, 8, 10]);
    }));

  it('sends a broadcast task to every worker, answers in worker order', () =>
    withPool(2, async (pool) => {
      await Promise.all([1, 2, 3, 4, 5].map((value) => pool.run({ value })));
      // Tasks go to the workers in turn: the first doubled 1, 3 and 5, the second 2 and 4.
      expect(await pool.broadcast({ value: 0, total: true })).toEqual([18, 12]);
    }));

  it('fails the tasks out and the ones after when a worker fails, instead of skipping them', () =>
    withPool(1, async (pool) => {
      const failing = pool.run({ value: 1, fail: true });
      const queued = pool.run({ value: 2 });
      await expect(failing).rejects.toThrow('asked to fail');
      await expect(queued).rejects.toThrow('asked to fail');
      await expect(pool.run({ value: 3 })).rejects.toThrow('asked to fail');
    }));
});
