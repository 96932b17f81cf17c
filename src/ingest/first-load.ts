/**
 * A first load of several sources at once (`idgraph load`). On an empty store every file is read
 * and normalized first, then the records are resolved together and written in large commits
 * (engine/bulk-load/bulk-load.ts), faster than batch by batch at the price of holding the prepared records
 * in memory until they are written. On a store that already holds data (a second load, or one a
 * crash cut short) the sources are ingested one after another instead, in durable batches;
 * resolution does not depend on the order records arrive in, so the profiles are the same.
 */
import { availableParallelism } from 'node:os';
import type { PackedRecord } from '../codec/packed-record.js';
import type { BulkLoadStep } from '../engine/bulk-load/bulk-load.js';
import type { Engine } from '../engine/engine.js';
import { ingestFiles } from './ingest-files.js';
import { byLine, countRefused, emptySummary, type IngestProgress, type IngestSummary } from './ingest-summary.js';
import { totalSize } from './input.js';
import { type PreparedChunk, prepareChunk } from './prepare-lines.js';
import { PreparePool } from './prepare-pool.js';
import { readInBatches } from './read-batches.js';
import { readLineChunks } from './read-chunks.js';
import { type FileFormat, formatOf } from './read-rows.js';
import type { RejectFile, RowPlace } from './reject-file.js';
import { type Intake, isTable } from './table-source.js';

export interface SourceFiles {
  readonly source: string;
  /** Opened (input.ts, open-intake.ts), so their columns could be checked before anything is committed. */
  readonly inputs: readonly Intake[];
}

export interface FirstLoadOptions {
  readonly engine: Engine;
  readonly sources: readonly SourceFiles[];
  readonly format?: FileFormat;
  readonly rejects: RejectFile;
  readonly progress?: IngestProgress;
  /** Records per commit: of the bulk path (default 10,000), or of each batch on a store with data. */
  readonly commitSize?: number;
  /**
   * Worker threads that normalize while the main thread reads, then resolve components while it
   * writes (default: one per core; 0 for none).
   */
  readonly workers?: number;
  /** Told as the bulk path resolves and writes, after reading (engine/bulk-load). */
  readonly onBulkProgress?: (step: BulkLoadStep) => void;
}

export interface FirstLoadSummary extends IngestSummary {
  /** `bulk` when the store was empty; `incremental` when it held data and the batch path ran. */
  readonly path: 'bulk' | 'incremental';
}

/** CSV rows normalized per call, so the raw rows of a batch can go before the next is read. */
const PREPARE_BATCH = 10_000;
/** NDJSON bytes per chunk handed to a worker (some 6,000 lines of typical records). */
const CHUNK_BYTES = 1024 * 1024;

export async function firstLoad(options: FirstLoadOptions): Promise<FirstLoadSummary> {
  const { engine } = options;
  const { store, rules } = engine.readSide();
  if ((await store.lastCommit()) !== 0) return { ...(await ingestEach(options)), path: 'incremental' };

  const summary = emptySummary();
  const records: PackedRecord[] = [];
  const workers = options.workers ?? availableParallelism();
  const pool = workers > 0 ? PreparePool.start(rules, engine.today(), workers) : undefined;
  // Batches out for preparing, oldest first: their records are taken in reading order, so the
  // profiles come out numbered the same however many workers there are.
  const out: {
    place: { file: string; source: string; place: RowPlace };
    bytes: number;
    prepared: Promise<PreparedChunk>;
  }[] = [];
  const total = totalSize(options.sources.flatMap(({ inputs }) => inputs));
  let before = 0;
  const hand = async (
    place: { file: string; source: string; place: RowPlace },
    bytes: number,
    prepared: Promise<PreparedChunk>,
  ) => {
    // A failed batch is met when its turn comes (or never, if an earlier one stops the load);
    // until then its rejection must not count as unhandled, which would end the process.
    prepared.catch(() => undefined);
    out.push({ place, bytes, prepared });
    while (out.length > 2 * Math.max(1, workers)) await takeOldest();
  };
  const takeOldest = async () => {
    const { place, bytes, prepared } = out.shift() as (typeof out)[number];
    const result = await engine.timings.measureAsync('normalize', () => prepared);
    for (const record of result.packed) records.push(record);
    summary.rows += result.rows;
    await countRefused(summary, options.rejects, place, result);
    options.progress?.update({
      file: place.file,
      rows: summary.rows,
      ...(total !== undefined ? { bytes, totalBytes: total } : {}),
    });
  };
  const today = engine.today();
  try {
    for (const { source, inputs } of options.sources) {
      for (const input of inputs) {
        const place = { file: input.name, source, place: isTable(input) ? ('row' as const) : ('line' as const) };
        // NDJSON goes to the workers as raw chunks of lines: splitting and parsing are theirs too.
        if (!isTable(input) && formatOf(input.path, options.format) === 'ndjson') {
          const chunks = readLineChunks(input.chunks(), CHUNK_BYTES);
          for (;;) {
            const next = await engine.timings.measureAsync('parse', () => chunks.next());
            if (next.done) break;
            const chunk = next.value;
            await hand(
              place,
              before + input.bytesRead(),
              pool
                ? pool.prepareChunk(source, chunk)
                : Promise.resolve(engine.timings.measure('normalize', () => prepareChunk(rules, source, chunk, today))),
            );
          }
        } else {
          // CSV and tables: rows read here, then prepared by the workers.
          const reading = {
            input,
            format: 'csv' as const,
            source,
            batchSize: PREPARE_BATCH,
            summary,
            rejects: options.rejects,
            timings: engine.timings,
          };
          await readInBatches(reading, ({ rows, lines }) => {
            const prepared = pool ? pool.prepare(source, rows) : Promise.resolve(engine.packRows(source, rows));
            // Its rows were counted as they were read (readInBatches), unlike a chunk's.
            return hand(
              place,
              before + input.bytesRead(),
              prepared.then((batch) => ({ ...batch, rejected: byLine(batch.rejected, lines), rows: 0 })),
            );
          });
        }
        before += input.size ?? 0;
      }
    }
    while (out.length > 0) await takeOldest();
  } finally {
    await pool?.close();
  }
  options.progress?.finish();
  summary.accepted = records.length;
  const loaded = await engine.loadBulk(records, {
    workers,
    ...(options.commitSize ? { commitSize: options.commitSize } : {}),
    ...(options.onBulkProgress ? { onProgress: options.onBulkProgress } : {}),
  });
  summary.profilesCreated = loaded.profilesCreated;
  summary.merges = loaded.merges;
  summary.commits = loaded.commits;
  return { ...summary, path: 'bulk' };
}

async function ingestEach(options: FirstLoadOptions): Promise<IngestSummary> {
  const total = emptySummary();
  for (const { source, inputs } of options.sources) {
    const part = await ingestFiles({
      engine: options.engine,
      source,
      inputs,
      rejects: options.rejects,
      ...(options.commitSize ? { batchSize: options.commitSize } : {}),
      ...(options.format ? { format: options.format } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
    });
    for (const key of [
      'rows',
      'accepted',
      'unchanged',
      'rejected',
      'profilesCreated',
      'merges',
      'splits',
      'commits',
    ] as const) {
      total[key] += part[key];
    }
    for (const [reason, count] of Object.entries(part.rejectedByReason)) {
      total.rejectedByReason[reason] = (total.rejectedByReason[reason] ?? 0) + count;
    }
    for (const [reason, count] of Object.entries(part.refusedValuesByReason)) {
      total.refusedValuesByReason[reason] = (total.refusedValuesByReason[reason] ?? 0) + count;
    }
  }
  return total;
}
