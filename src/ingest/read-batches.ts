/**
 * The reading half of ingest and load: an input's rows (a file's, or a table's) in batches, each batch of readable rows
 * handed over with the line each came from; unreadable rows counted and listed in the rejects file;
 * the time spent parsing measured; progress reported as rows go by.
 */
import type { PhaseTimings } from '../engine/timings.js';
import { type IngestProgress, type IngestSummary, rejectRow } from './ingest-summary.js';
import { type FileFormat, type RowReadResult, readRows } from './read-rows.js';
import type { RejectFile, RowPlace } from './reject-file.js';
import { type Intake, isTable } from './table-source.js';

export interface RowBatch {
  /** The input's name, as rejects are listed under. */
  readonly file: string;
  readonly rows: Record<string, unknown>[];
  /** Line (or row number, for a table) of each row, for rejections found later (a row without its key, say). */
  readonly lines: number[];
  /** Whether `lines` are lines of a text file or rows of a table. */
  readonly place: RowPlace;
}

export interface ReadBatchesOptions {
  readonly input: Intake;
  /** For a file; a table's rows come as values. */
  readonly format: FileFormat;
  readonly source: string;
  readonly batchSize: number;
  readonly summary: IngestSummary;
  readonly rejects: RejectFile;
  readonly timings: PhaseTimings;
  readonly progress?: IngestProgress;
  /** Bytes of the inputs read before this one, and of all of them, for progress in bytes. */
  readonly bytes?: { readonly before: number; readonly total: number };
}

export async function readInBatches(
  options: ReadBatchesOptions,
  take: (batch: RowBatch) => Promise<void>,
): Promise<void> {
  const { summary, input } = options;
  const file = input.name;
  const place: RowPlace = isTable(input) ? 'row' : 'line';
  const tell = () =>
    options.progress?.update({
      file,
      rows: summary.rows,
      ...(options.bytes ? { bytes: options.bytes.before + input.bytesRead(), totalBytes: options.bytes.total } : {}),
    });
  let rows: Record<string, unknown>[] = [];
  let lines: number[] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    const batch = { file, rows, lines, place };
    rows = [];
    lines = [];
    await take(batch);
  };
  // One row: kept for the next batch (a promise when that fills the batch), or rejected as unreadable.
  const accept = (item: RowReadResult): Promise<void> | undefined => {
    summary.rows++;
    const counted = summary.rows % 1000 === 0;
    if (item.ok) {
      rows.push(item.row);
      lines.push(item.line);
      if (counted) tell();
      return rows.length >= options.batchSize ? flush() : undefined;
    }
    if (counted) tell();
    return rejectRow(summary, options.rejects, {
      file,
      source: options.source,
      line: item.line,
      place,
      reason: item.reason,
      detail: item.detail,
    });
  };
  if (isTable(input)) {
    // A table's rows come a batch at a time, all readable: numbered here, without a step per row.
    const batches = input.batches()[Symbol.asyncIterator]();
    let row = 0;
    for (;;) {
      const next = await options.timings.measureAsync('parse', () => batches.next());
      if (next.done) break;
      for (const values of next.value) {
        const taking = accept({ ok: true, line: ++row, row: values as Record<string, unknown> });
        if (taking) await taking;
      }
    }
  } else {
    const reader = readRows(input, options.format)[Symbol.asyncIterator]();
    for (;;) {
      const next = await options.timings.measureAsync('parse', () => reader.next());
      if (next.done) break;
      const taking = accept(next.value);
      if (taking) await taking;
    }
  }
  await flush();
  tell();
}
