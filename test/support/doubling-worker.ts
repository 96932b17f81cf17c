/** A worker for the WorkerPool tests: doubles a number, and throws when asked to. */
import { serveTasks } from '../../src/worker-pool.js';

serveTasks((task: { value: number; fail?: boolean }) => {
  if (task.fail) throw new Error('asked to fail');
  return task.value * 2;
});
