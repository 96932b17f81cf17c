/**
 * Streams files of one source into the engine in batches: each batch is one commit, acknowledged
 * (durable) before the next is read, so an interrupted ingest loses at most the batch in flight and
 * a re-run picks up where it stopped (re-ingesting a record is an idempotent update).
 */
import { basename } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { type FileFormat, formatOf, readRows } from './read-rows.js';
import type { RejectFile } from './reject-file.js';

export interface IngestProgress {
  update(done: { file: string; rows: number }): void;
  finish(): void;
}

export interface IngestFilesOptions {
  readonly engine: Engine;
  readonly source: string;
  readonly files: readonly string[];
  readonly format?: FileFormat;
  readonly batchSize?: number;
  readonly rejects: RejectFile;
  readonly progress?: IngestProgress;
  readonly actor?: string;
}

export interface IngestSummary {
  rows: number;
  accepted: number;
  unchanged: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  refusedValuesByReason: Record<string, number>;
  profilesCreated: number;
  merges: number;
  splits: number;
  commits: number;
}

export const DEFAULT_BATCH_SIZE = 5000;

export function emptySummary(): IngestSummary {
  return {
    rows: 0,
    accepted: 0,
    unchanged: 0,
    rejected: 0,
    rejectedByReason: {},
    refusedValuesByReason: {},
    profilesCreated: 0,
    merges: 0,
    splits: 0,
    commits: 0,
  };
}

/** Counts a rejected row and lists it in the rejects file (place and reason, never content). */
export async function rejectRow(
  summary: IngestSummary,
  rejects: RejectFile,
  rejection: { file: string; line: number; reason: string; field?: string | undefined; detail?: string | undefined },
): Promise<void> {
  summary.rejected++;
  summary.rejectedByReason[rejection.reason] = (summary.rejectedByReason[rejection.reason] ?? 0) + 1;
  await rejects.write({
    file: rejection.file,
    line: rejection.line,
    reason: rejection.reason,
    ...(rejection.field ? { field: rejection.field } : {}),
    ...(rejection.detail ? { detail: rejection.detail } : {}),
  });
}

export async function ingestFiles(options: IngestFilesOptions): Promise<IngestSummary> {
  const summary = emptySummary();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const reject = (file: string, line: number, reason: string, field?: string, detail?: string) =>
    rejectRow(summary, options.rejects, { file, line, reason, field, detail });

  for (const path of options.files) {
    const file = basename(path);
    let rows: Record<string, unknown>[] = [];
    let lines: number[] = [];
    const flush = async () => {
      if (rows.length === 0) return;
      const result = await options.engine.ingest(options.source, rows, options.actor);
      summary.accepted += result.accepted;
      summary.unchanged += result.unchanged;
      summary.profilesCreated += result.profilesCreated;
      summary.merges += result.merges;
      summary.splits += result.splits;
      if (result.commit !== undefined) summary.commits++;
      for (const refusal of result.refusals) {
        summary.refusedValuesByReason[refusal.reason] = (summary.refusedValuesByReason[refusal.reason] ?? 0) + 1;
      }
      for (const rejection of result.rejected) {
        await reject(file, lines[rejection.index] ?? 0, rejection.reason, rejection.field);
      }
      rows = [];
      lines = [];
    };
    const rowsOf = readRows(path, formatOf(path, options.format))[Symbol.asyncIterator]();
    for (;;) {
      const next = await options.engine.timings.measureAsync('parse', () => rowsOf.next());
      if (next.done) break;
      const item = next.value;
      summary.rows++;
      if (!item.ok) {
        await reject(file, item.line, item.reason, undefined, item.detail);
      } else {
        rows.push(item.row);
        lines.push(item.line);
        if (rows.length >= batchSize) await flush();
      }
      if (summary.rows % 1000 === 0) options.progress?.update({ file, rows: summary.rows });
    }
    await flush();
    options.progress?.update({ file, rows: summary.rows });
  }
  options.progress?.finish();
  return summary;
}
