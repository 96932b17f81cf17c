/**
 * Starts a worker thread on a module beside the caller's. Built, that module is JavaScript and runs
 * as it is. Run from source (tests, benchmarks), it is TypeScript, and a worker does not inherit the
 * module hooks of its parent, so it first registers tsx, the loader the source runs under.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';

/** `name` without extension, e.g. `prepare-worker`, next to the module at `callerUrl`. */
export function startSiblingWorker(
  callerUrl: string,
  name: string,
  workerData: unknown,
  resourceLimits?: ResourceLimits,
): Worker {
  const extension = extname(fileURLToPath(callerUrl));
  const target = new URL(`./${name}${extension}`, callerUrl);
  const options = { workerData, ...(resourceLimits ? { resourceLimits } : {}) };
  if (extension !== '.ts') return new Worker(target, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(target.href)});`;
  return new Worker(boot, { ...options, eval: true });
}
