/**
 * The columns of an input, from its first bytes (Input.head), before any row is read: a CSV file's
 * header, or the keys of the first NDJSON rows (a field every one of them lacks is likely missing
 * from the file, or spelled differently).
 */
import type { Input } from './input.js';
import { csvHeader } from './read-csv.js';
import { type FileFormat, parseNdjsonLine } from './read-rows.js';

/** NDJSON rows whose keys are taken as the file's columns. */
export const SAMPLE_ROWS = 100;

/** The columns, or undefined when the first bytes show none (an empty file, a header cut short). */
export function inputColumns(input: Input, format: FileFormat): string[] | undefined {
  if (format === 'csv') return csvHeader(input.head, input.headIsWhole);
  const lines = input.head.toString('utf8').split(/\r\n|\r|\n/);
  // The last piece may be a line cut short by the end of the head, unless the head is the whole input.
  if (!input.headIsWhole) lines.pop();
  const keys = new Set<string>();
  let rows = 0;
  for (const text of lines) {
    if (rows >= SAMPLE_ROWS) break;
    if (text.trim() === '') continue;
    const parsed = parseNdjsonLine(text.replace(/^\uFEFF/, ''), 0);
    if (!parsed.ok) continue;
    rows++;
    for (const key of Object.keys(parsed.row)) keys.add(key);
  }
  return rows > 0 ? [...keys] : undefined;
}
