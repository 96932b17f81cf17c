/**
 * Worker threads that prepare rows for a first load (engine/prepare-batch.ts), so normalizing, the
 * longest part of reading, runs on every core while the main thread reads on.
 */
import type { LoadedRules } from '../engine/loaded-rules.js';
import type { PreparedBatch } from '../engine/prepare-batch.js';
import { WorkerPool } from '../worker-pool.js';
import type { PreparedChunk } from './prepare-lines.js';
import type { LineChunk } from './read-chunks.js';

export interface PrepareWorkerData {
  readonly rulesText: string;
  readonly today: string;
}

/** Rows already read (from CSV), or a chunk of an NDJSON file the worker splits and parses. */
export type PrepareTask = { readonly source: string } & (
  | { readonly rows: readonly unknown[] }
  | { readonly chunk: LineChunk }
);

export class PreparePool {
  private constructor(private readonly pool: WorkerPool<PrepareTask, PreparedBatch | PreparedChunk>) {}

  static start(rules: LoadedRules, today: string, size: number): PreparePool {
    const data: PrepareWorkerData = { rulesText: rules.text, today };
    return new PreparePool(WorkerPool.start(import.meta.url, 'prepare-worker', data, size));
  }

  /** Prepares rows read from a file (CSV). */
  prepare(source: string, rows: readonly unknown[]): Promise<PreparedBatch> {
    return this.pool.run({ source, rows }) as Promise<PreparedBatch>;
  }

  /** Splits, parses and prepares a chunk of an NDJSON file. */
  prepareChunk(source: string, chunk: LineChunk): Promise<PreparedChunk> {
    return this.pool.run({ source, chunk }) as Promise<PreparedChunk>;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
