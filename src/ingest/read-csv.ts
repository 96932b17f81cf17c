/**
 * The rows of a CSV file with their line numbers, each malformed row rejected alone and reading
 * resumed at the next line.
 *
 * A quoted value may hold line breaks, so a line that leaves a quote open is joined with the lines
 * after it, up to MAX_SPAN_LINES, until the quote closes. The joined text is one record only if it
 * then parses cleanly with the header's number of columns; otherwise the quote is taken for a
 * mistake: the line that opened it is rejected as CSV_UNCLOSED_QUOTE and reading resumes on the
 * line after it, so the rows that follow are read as rows of their own.
 */
import { isUtf8 } from 'node:buffer';
import { type ByteLine, byteLines } from './byte-lines.js';
import { parseCsvRecord } from './csv-record.js';
import { InputError } from './input.js';
import type { RowReadResult } from './row-read-result.js';

/** Lines one quoted value may span (an address, a comment): more is taken for a missing quote. */
export const MAX_SPAN_LINES = 100;

const PROBLEM_TEXT = {
  QUOTE_IN_UNQUOTED_FIELD: 'a quote inside a field that does not start with one',
  TEXT_AFTER_CLOSING_QUOTE: 'text after the quote that closes a field',
} as const;

export async function* readCsvRows(name: string, chunks: AsyncIterable<Buffer>): AsyncGenerator<RowReadResult> {
  const reader = byteLines(chunks);
  // Lines read ahead while looking for a quote's end, to read again as lines of their own.
  const replay: ByteLine[] = [];
  const nextLine = async (): Promise<ByteLine | undefined> => {
    if (replay.length > 0) return replay.shift();
    const next = await reader.next();
    return next.done ? undefined : next.value;
  };

  let header: string[] | undefined;
  for (let current = await nextLine(); current; current = await nextLine()) {
    const { line, bytes } = current;
    if (!isUtf8(bytes)) {
      if (!header) throw new InputError('INPUT_UNREADABLE', `${name}:${line}: the CSV header is not valid UTF-8`);
      yield { ok: false, line, reason: 'UTF8_INVALID', detail: 'the line is not valid UTF-8' };
      continue;
    }
    const text = bytes.toString('utf8');
    if (text.trim() === '') continue;
    let parsed = parseCsvRecord(text);
    if (!parsed.ok && parsed.problem === 'UNCLOSED_QUOTE') {
      const taken: ByteLine[] = [];
      let joined = text;
      while (!parsed.ok && parsed.problem === 'UNCLOSED_QUOTE' && taken.length < MAX_SPAN_LINES) {
        const more = await nextLine();
        if (!more) break;
        taken.push(more);
        if (!isUtf8(more.bytes)) break;
        joined += `\n${more.bytes.toString('utf8')}`;
        parsed = parseCsvRecord(joined);
      }
      if (!(parsed.ok && (!header || parsed.fields.length === header.length))) {
        replay.unshift(...taken);
        if (!header) throw new InputError('INPUT_UNREADABLE', `${name}:${line}: the CSV header has an unclosed quote`);
        yield {
          ok: false,
          line,
          reason: 'CSV_UNCLOSED_QUOTE',
          detail: `no row of ${header.length} columns closes it`,
        };
        continue;
      }
    }
    if (!parsed.ok || !header) {
      if (parsed.ok) {
        header = parsed.fields;
        continue;
      }
      const problem = `${PROBLEM_TEXT[parsed.problem as keyof typeof PROBLEM_TEXT]} (column ${parsed.field})`;
      if (!header) throw new InputError('INPUT_UNREADABLE', `${name}:${line}: the CSV header is malformed: ${problem}`);
      yield { ok: false, line, reason: 'CSV_SYNTAX', detail: problem };
      continue;
    }
    if (parsed.fields.length !== header.length) {
      yield {
        ok: false,
        line,
        reason: 'CSV_COLUMN_COUNT',
        detail: `expected ${header.length}, found ${parsed.fields.length}`,
      };
      continue;
    }
    const row: Record<string, unknown> = {};
    for (let index = 0; index < header.length; index++) {
      const value = parsed.fields[index] as string;
      if (value !== '') row[header[index] as string] = value;
    }
    yield { ok: true, line, row };
  }
}

/** The header of a CSV file from its first bytes (Input.head), or undefined when they hold none. */
export function csvHeader(head: Buffer, whole: boolean): string[] | undefined {
  const lines = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/);
  // The last piece may be a line cut short where the head ends.
  if (!whole) lines.pop();
  const first = lines.find((line) => line.trim() !== '');
  if (first === undefined) return undefined;
  const parsed = parseCsvRecord(first);
  return parsed.ok ? parsed.fields : undefined;
}
