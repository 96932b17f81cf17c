/**
 * Streams inputs (files, stdin, database tables, Parquet files) of one source into the engine in batches: each batch is one commit, acknowledged
 * (durable) before the next is read, so an interrupted ingest loses at most the batch in flight and
 * a re-run picks up where it stopped (re-ingesting a record is an idempotent update).
 */
import type { Engine } from '../engine/engine.js';
import {
  byLine,
  countByReason,
  countRefused,
  emptySummary,
  type IngestProgress,
  type IngestSummary,
} from './ingest-summary.js';
import { totalSize } from './input.js';
import { readInBatches } from './read-batches.js';
import { type FileFormat, formatOf } from './read-rows.js';
import type { RejectFile } from './reject-file.js';
import type { Intake } from './table-source.js';

export interface IngestFilesOptions {
  readonly engine: Engine;
  readonly source: string;
  /** Opened (input.ts, open-intake.ts), so their columns could be checked before anything is committed. */
  readonly inputs: readonly Intake[];
  readonly format?: FileFormat;
  readonly batchSize?: number;
  readonly rejects: RejectFile;
  readonly progress?: IngestProgress;
  readonly actor?: string;
}

export const DEFAULT_BATCH_SIZE = 5000;

export async function ingestFiles(options: IngestFilesOptions): Promise<IngestSummary> {
  const summary = emptySummary();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const total = totalSize(options.inputs);
  let before = 0;
  for (const input of options.inputs) {
    const reading = {
      input,
      format: formatOf(input.path, options.format),
      source: options.source,
      batchSize,
      summary,
      rejects: options.rejects,
      timings: options.engine.timings,
      ...(options.progress ? { progress: options.progress } : {}),
      ...(total !== undefined ? { bytes: { before, total } } : {}),
    };
    await readInBatches(reading, async ({ file, rows, lines, place }) => {
      const result = await options.engine.ingest(options.source, rows, options.actor);
      summary.accepted += result.accepted;
      summary.unchanged += result.unchanged;
      summary.profilesCreated += result.profilesCreated;
      summary.merges += result.merges;
      summary.splits += result.splits;
      if (result.commit !== undefined) summary.commits++;
      await countRefused(
        summary,
        options.rejects,
        { file, source: options.source, place },
        {
          rejected: byLine(result.rejected, lines),
          refusedByReason: countByReason(result.refusals),
        },
      );
    });
    before += input.size ?? 0;
  }
  options.progress?.finish();
  return summary;
}
