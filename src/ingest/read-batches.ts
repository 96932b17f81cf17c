/**
 * The reading half of ingest and load: a file's rows in batches, each batch of readable rows handed
 * over with the line each came from; unreadable rows counted and listed in the rejects file; the
 * time spent parsing measured; progress reported as rows go by.
 */
import { basename } from 'node:path';
import type { PhaseTimings } from '../engine/timings.js';
import { type IngestProgress, type IngestSummary, rejectRow } from './ingest-summary.js';
import { type FileFormat, formatOf, readRows } from './read-rows.js';
import type { RejectFile } from './reject-file.js';

export interface RowBatch {
  /** The file's name, as rejects are listed under. */
  readonly file: string;
  readonly rows: Record<string, unknown>[];
  /** Line of each row, for rejections found later (a row without its key, say). */
  readonly lines: number[];
}

export interface ReadBatchesOptions {
  readonly path: string;
  readonly format?: FileFormat;
  readonly batchSize: number;
  readonly summary: IngestSummary;
  readonly rejects: RejectFile;
  readonly timings: PhaseTimings;
  readonly progress?: IngestProgress;
}

export async function readInBatches(
  options: ReadBatchesOptions,
  take: (batch: RowBatch) => Promise<void>,
): Promise<void> {
  const file = basename(options.path);
  await readBatched(
    options,
    readRows(options.path, formatOf(options.path, options.format)),
    async (item) => {
      if (item.ok) return item.row;
      await rejectRow(options.summary, options.rejects, {
        file,
        line: item.line,
        reason: item.reason,
        detail: item.detail,
      });
      return undefined;
    },
    (rows, lines) => take({ file, rows, lines }),
  );
}

/** Items gathered into batches with their lines; `accept` turns an item into a value or keeps it out. */
async function readBatched<Item extends { readonly line: number }, Value>(
  options: Omit<ReadBatchesOptions, 'format'>,
  items: AsyncIterable<Item>,
  accept: (item: Item) => Promise<Value | undefined>,
  take: (values: Value[], lines: number[]) => Promise<void>,
): Promise<void> {
  const { summary } = options;
  const file = basename(options.path);
  let values: Value[] = [];
  let lines: number[] = [];
  const flush = async () => {
    if (values.length === 0) return;
    const batch = values;
    const batchLines = lines;
    values = [];
    lines = [];
    await take(batch, batchLines);
  };
  const reader = items[Symbol.asyncIterator]();
  for (;;) {
    const next = await options.timings.measureAsync('parse', () => reader.next());
    if (next.done) break;
    summary.rows++;
    const value = await accept(next.value);
    if (value !== undefined) {
      values.push(value);
      lines.push(next.value.line);
      if (values.length >= options.batchSize) await flush();
    }
    if (summary.rows % 1000 === 0) options.progress?.update({ file, rows: summary.rows });
  }
  await flush();
  options.progress?.update({ file, rows: summary.rows });
}
