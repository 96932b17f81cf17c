/**
 * A worker for the WorkerPool tests: doubles a number, and throws when asked to. Asked for its
 * total, it answers the sum of what it has doubled so far.
 */
import { serveTasks } from '../../src/runtime/worker-pool.js';

let doubled = 0;

serveTasks((task: { value: number; fail?: boolean; total?: boolean }) => {
  if (task.fail) throw new Error('asked to fail');
  if (task.total) return doubled;
  doubled += task.value * 2;
  return task.value * 2;
});
