/**
 * The reading half of ingest and load: an input's rows (a file's, or a table's) in batches, each batch of readable rows
 * handed over with the line each came from; unreadable rows counted and listed in the rejects file;
 * the time spent parsing measured; progress reported as rows go by.
 */
import type { PhaseTimings } from '../engine/timings.js';
import { type IngestProgress, type IngestSummary, rejectRow } from './ingest-summary.js';
import { type FileFormat, readRows } from './read-rows.js';
import type { RejectFile, RowPlace } from './reject-file.js';
import { type Intake, isTable, numberedRows } from './table-source.js';

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
  const reader = (isTable(input) ? numberedRows(input) : readRows(input, options.format))[Symbol.asyncIterator]();
  for (;;) {
    const next = await options.timings.measureAsync('parse', () => reader.next());
    if (next.done) break;
    summary.rows++;
    const item = next.value;
    if (item.ok) {
      rows.push(item.row);
      lines.push(item.line);
      if (rows.length >= options.batchSize) await flush();
    } else {
      await rejectRow(summary, options.rejects, {
        file,
        source: options.source,
        line: item.line,
        place,
        reason: item.reason,
        detail: item.detail,
      });
    }
    if (summary.rows % 1000 === 0) tell();
  }
  await flush();
  tell();
}
