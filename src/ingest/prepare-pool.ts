/**
 * Worker threads that prepare rows for a first load (engine/prepare-batch.ts), so normalizing, the
 * longest part of reading, runs on every core while the main thread reads on.
 */
import type { LoadedRules } from '../engine/loaded-rules.js';
import type { PreparedBatch } from '../engine/prepare-batch.js';
import { WorkerPool } from '../worker-pool.js';

export interface PrepareWorkerData {
  readonly rulesText: string;
  readonly today: string;
}

/** Rows already read (from CSV), or NDJSON lines the worker parses. */
export type PrepareTask = { readonly source: string } & (
  | { readonly rows: readonly unknown[] }
  | { readonly texts: readonly string[] }
);

export class PreparePool {
  private constructor(private readonly pool: WorkerPool<PrepareTask, PreparedBatch>) {}

  static start(rules: LoadedRules, today: string, size: number): PreparePool {
    const data: PrepareWorkerData = { rulesText: rules.text, today };
    return new PreparePool(WorkerPool.start(import.meta.url, 'prepare-worker', data, size));
  }

  /** Prepares rows read from a file (CSV). */
  prepare(source: string, rows: readonly unknown[]): Promise<PreparedBatch> {
    return this.pool.run({ source, rows });
  }

  /** Parses and prepares NDJSON lines. */
  prepareLines(source: string, texts: readonly string[]): Promise<PreparedBatch> {
    return this.pool.run({ source, texts });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
