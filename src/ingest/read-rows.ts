/**
 * Streams the rows of an NDJSON or CSV file with their line numbers, in bounded memory. A malformed
 * row comes out as a problem with its line and reason, and reading goes on.
 */
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

export type FileFormat = 'ndjson' | 'csv';

export type RowReadResult =
  | { readonly ok: true; readonly line: number; readonly row: Record<string, unknown> }
  | { readonly ok: false; readonly line: number; readonly reason: RowReadProblem; readonly detail: string };

export type RowReadProblem = 'JSON_SYNTAX' | 'ROW_NOT_OBJECT' | 'CSV_SYNTAX' | 'CSV_COLUMN_COUNT';

export function formatOf(path: string, explicit?: FileFormat): FileFormat {
  if (explicit) return explicit;
  return /\.csv(\.|$)/i.test(path) ? 'csv' : 'ndjson';
}

export function readRows(path: string, format: FileFormat): AsyncIterable<RowReadResult> {
  return format === 'csv' ? readCsv(path) : readNdjson(path);
}

async function* readNdjson(path: string): AsyncIterable<RowReadResult> {
  for await (const { line, text } of readNdjsonLines(path)) yield parseNdjsonLine(text, line);
}

/**
 * The non-blank lines of an NDJSON file with their numbers, not parsed yet (a first load parses
 * them in its worker threads). A byte-order mark before the first line is dropped.
 */
export async function* readNdjsonLines(path: string): AsyncIterable<{ line: number; text: string }> {
  // Opened first, so a missing or unreadable file is an error the caller catches, not a stream event.
  const handle = await open(path, 'r');
  const lines = createInterface({
    input: handle.createReadStream({ encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of lines) {
    line++;
    const unmarked = line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (unmarked.trim() !== '') yield { line, text: unmarked };
  }
}

/** One NDJSON line as a row, or the problem that keeps it from being one. */
export function parseNdjsonLine(text: string, line: number): RowReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text.trim());
  } catch (error) {
    // The parser's message quotes the offending text, which may be personal data: keep the position only.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return { ok: false, line, reason: 'JSON_SYNTAX', detail: position ? `at character ${position}` : 'invalid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, line, reason: 'ROW_NOT_OBJECT', detail: 'a line must hold one JSON object' };
  }
  return { ok: true, line, row: value as Record<string, unknown> };
}

async function* readCsv(path: string): AsyncIterable<RowReadResult> {
  // relax_column_count lets a short or long row through so we can reject it ourselves and go on;
  // skip_records_with_error keeps reading after a quoting error, which `on_skip` reports.
  const skipped: RowReadResult[] = [];
  const handle = await open(path, 'r');
  const parser = handle.createReadStream().pipe(
    parse({
      bom: true,
      columns: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      trim: true,
      on_skip: (error) => {
        const line = (error as { lines?: number } | undefined)?.lines ?? 0;
        // csv-parse messages can quote row content; its error code says what is wrong without it.
        const code = (error as { code?: string } | undefined)?.code ?? 'unreadable row';
        skipped.push({ ok: false, line, reason: 'CSV_SYNTAX', detail: code });
      },
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number; invalid_field_length: number; columns: unknown[] | false };
  }>) {
    while (skipped.length > 0) yield skipped.shift() as RowReadResult;
    const expected = Array.isArray(info.columns) ? info.columns.length : undefined;
    const actual = Object.keys(record).length;
    if (info.invalid_field_length > 0 || (expected !== undefined && actual !== expected)) {
      yield {
        ok: false,
        line: info.lines,
        reason: 'CSV_COLUMN_COUNT',
        detail: `expected ${expected ?? '?'} columns`,
      };
      continue;
    }
    const row: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) if (value !== '') row[key] = value;
    yield { ok: true, line: info.lines, row };
  }
  while (skipped.length > 0) yield skipped.shift() as RowReadResult;
}
