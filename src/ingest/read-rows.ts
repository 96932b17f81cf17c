/**
 * Streams the rows of an NDJSON or CSV input with their line numbers, in bounded memory. A malformed
 * row comes out as a problem with its line and reason, and reading goes on at the next line.
 */
import { isUtf8 } from 'node:buffer';
import { byteLines } from './byte-lines.js';
import type { Input } from './input.js';
import { readCsvRows } from './read-csv.js';
import type { RowReadResult } from './row-read-result.js';

export type { RowReadProblem, RowReadResult } from './row-read-result.js';

export type FileFormat = 'ndjson' | 'csv';

/** By the name: `.csv` (also `.csv.gz`) is CSV, anything else NDJSON, unless told. */
export function formatOf(path: string, explicit?: FileFormat): FileFormat {
  if (explicit) return explicit;
  return /\.csv(\.|$)/i.test(path) ? 'csv' : 'ndjson';
}

export function readRows(input: Input, format: FileFormat): AsyncIterable<RowReadResult> {
  return format === 'csv' ? readCsvRows(input.name, input.chunks()) : readNdjson(input.chunks());
}

async function* readNdjson(chunks: AsyncIterable<Buffer>): AsyncIterable<RowReadResult> {
  for await (const { line, bytes } of byteLines(chunks)) {
    if (!isUtf8(bytes)) {
      yield { ok: false, line, reason: 'UTF8_INVALID', detail: 'the line is not valid UTF-8' };
      continue;
    }
    const text = bytes.toString('utf8');
    if (text.trim() !== '') yield parseNdjsonLine(text, line);
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
