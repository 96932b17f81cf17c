/**
 * Worker threads that prepare rows for a first load (engine/prepare-batch.ts), so normalizing, the
 * longest part of reading, runs on every core while the main thread reads on. Batches go to the
 * workers in turn; each answer comes back to the promise of its batch.
 */
import type { Worker } from 'node:worker_threads';
import type { LoadedRules } from '../engine/loaded-rules.js';
import type { PreparedBatch } from '../engine/prepare-batch.js';
import { startSiblingWorker } from '../worker-thread.js';

export interface PrepareWorkerData {
  readonly rulesText: string;
  readonly today: string;
}

/** Rows already read (from CSV), or NDJSON lines the worker parses. */
export type PrepareTask = { readonly id: number; readonly source: string } & (
  | { readonly rows: readonly unknown[] }
  | { readonly texts: readonly string[] }
);

export interface PrepareReply {
  readonly id: number;
  readonly batch: PreparedBatch;
}

interface Waiting {
  resolve(batch: PreparedBatch): void;
  reject(error: Error): void;
}

export class PreparePool {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  private constructor(private readonly workers: readonly Worker[]) {
    for (const worker of workers) {
      worker.on('message', (reply: PrepareReply) => {
        this.waiting.get(reply.id)?.resolve(reply.batch);
        this.waiting.delete(reply.id);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a preparing worker stopped (exit code ${code})`));
      });
    }
  }

  static start(rules: LoadedRules, today: string, size: number): PreparePool {
    const data: PrepareWorkerData = { rulesText: rules.text, today };
    return new PreparePool(
      Array.from({ length: size }, () => startSiblingWorker(import.meta.url, 'prepare-worker', data)),
    );
  }

  /** Prepares rows read from a file (CSV). */
  prepare(source: string, rows: readonly unknown[]): Promise<PreparedBatch> {
    return this.send({ id: this.nextId++, source, rows });
  }

  /** Parses and prepares NDJSON lines. */
  prepareLines(source: string, texts: readonly string[]): Promise<PreparedBatch> {
    return this.send({ id: this.nextId++, source, texts });
  }

  private send(task: PrepareTask): Promise<PreparedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<PreparedBatch>((resolve, reject) => {
      this.waiting.set(task.id, { resolve, reject });
      (this.workers[task.id % this.workers.length] as Worker).postMessage(task);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /** A worker that fails takes every batch still out with it: the load stops rather than skip rows. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
  }
}
