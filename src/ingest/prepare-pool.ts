/**
 * Worker threads that prepare rows for a first load (engine/prepare/prepare-batch.ts), so normalizing, the
 * longest part of reading, runs on every core while the main thread reads on.
 */
import { fromColumns, type PackedColumns, toColumns } from '../codec/packed-columns.js';
import type { PackedRecord } from '../codec/packed-record.js';
import type { PreparedBatch } from '../engine/prepare/prepare-batch.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import { WorkerPool } from '../runtime/worker-pool.js';
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

/** A prepared batch or chunk as a worker sends it: its packed records as columns (packed-columns.ts). */
export type PreparedReply<Prepared extends { packed: PackedRecord[] }> = Omit<Prepared, 'packed'> & {
  readonly packed: PackedColumns;
};

export function toReply<Prepared extends { packed: PackedRecord[] }>(prepared: Prepared): PreparedReply<Prepared> {
  return { ...prepared, packed: toColumns(prepared.packed) };
}

function fromReply<Prepared extends { packed: PackedRecord[] }>(reply: PreparedReply<Prepared>): Prepared {
  return { ...reply, packed: fromColumns(reply.packed) } as unknown as Prepared;
}

export class PreparePool {
  private constructor(
    private readonly pool: WorkerPool<PrepareTask, PreparedReply<PreparedBatch> | PreparedReply<PreparedChunk>>,
  ) {}

  static start(rules: LoadedRules, today: string, size: number): PreparePool {
    const data: PrepareWorkerData = { rulesText: rules.text, today };
    return new PreparePool(WorkerPool.start(import.meta.url, 'prepare-worker', data, size));
  }

  /** Prepares rows read from a file (CSV). */
  prepare(source: string, rows: readonly unknown[]): Promise<PreparedBatch> {
    return (this.pool.run({ source, rows }) as Promise<PreparedReply<PreparedBatch>>).then(fromReply);
  }

  /** Splits, parses and prepares a chunk of an NDJSON file. */
  prepareChunk(source: string, chunk: LineChunk): Promise<PreparedChunk> {
    return (this.pool.run({ source, chunk }) as Promise<PreparedReply<PreparedChunk>>).then(fromReply);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
