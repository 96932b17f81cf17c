/**
 * A fixed set of worker threads running one task handler (see serveTasks): tasks go to the workers
 * in turn, and each answer comes back to the promise of its task. A worker that fails fails every
 * task still out, and the ones sent after: work is never silently skipped.
 */
import { parentPort, type ResourceLimits, type Worker } from 'node:worker_threads';
import { startSiblingWorker } from './worker-thread.js';

interface Envelope<Payload> {
  readonly id: number;
  readonly payload: Payload;
}

interface Waiting<Result> {
  resolve(result: Result): void;
  reject(error: Error): void;
}

export class WorkerPool<Task, Result> {
  private readonly waiting = new Map<number, Waiting<Result>>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  private constructor(private readonly workers: readonly Worker[]) {
    for (const worker of workers) {
      worker.on('message', ({ id, payload }: Envelope<Result>) => {
        this.waiting.get(id)?.resolve(payload);
        this.waiting.delete(id);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a worker thread stopped (exit code ${code})`));
      });
    }
  }

  /** `size` workers on the module `name` beside `callerUrl` (see worker-thread.ts). */
  static start<Task, Result>(
    callerUrl: string,
    name: string,
    workerData: unknown,
    size: number,
    resourceLimits?: ResourceLimits,
  ): WorkerPool<Task, Result> {
    return new WorkerPool(
      Array.from({ length: size }, () => startSiblingWorker(callerUrl, name, workerData, resourceLimits)),
    );
  }

  run(task: Task): Promise<Result> {
    return this.send(this.workers[this.nextId % this.workers.length] as Worker, task);
  }

  /** Sends the task to every worker (to collect what each gathered, say); answers in worker order. */
  broadcast(task: Task): Promise<Result[]> {
    return Promise.all(this.workers.map((worker) => this.send(worker, task)));
  }

  private send(worker: Worker, task: Task): Promise<Result> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const envelope: Envelope<Task> = { id, payload: task };
    return new Promise<Result>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(envelope);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
  }
}

/** The worker's side: answers each task the pool sends with `handle`'s result. */
export function serveTasks<Task, Result>(handle: (task: Task) => Result): void {
  parentPort?.on('message', ({ id, payload }: Envelope<Task>) => {
    const reply: Envelope<Result> = { id, payload: handle(payload) };
    parentPort?.postMessage(reply);
  });
}
