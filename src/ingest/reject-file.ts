/**
 * Rows that could not be taken, one JSON line each, the same on every command (ingest, load,
 * audience create): where (file and line, or table and row), which source, why (a reason code and a sentence, the
 * field when one is at fault), and never the row's content, which is personal data; the line (or
 * row) number finds it in the input. The file is made on the first rejection only, with its folder, so a run
 * without rejects leaves nothing behind.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A text file's rows are placed by line; a table's or a Parquet file's by their ordinal, `row`. */
export type RowPlace = 'line' | 'row';

export type Rejection = {
  /** The file's name, or the table (`query` for a query) the rows were read from. */
  readonly file: string;
} & ({ readonly line: number } | { readonly row: number }) &
  RejectionReason;

interface RejectionReason {
  /** The rules' source the rows were read for, or `audience:<id>` for an audience's members. */
  readonly source: string;
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

export class RejectFile {
  private stream: WriteStream | undefined;
  count = 0;

  constructor(
    readonly path: string,
    /** `wx` for a name of its own that must not overwrite another run's; `w` for a path the user chose. */
    private readonly flags: 'w' | 'wx' = 'w',
  ) {}

  async write(rejection: Rejection): Promise<void> {
    if (!this.stream) {
      await mkdir(dirname(this.path), { recursive: true });
      const stream = createWriteStream(this.path, { flags: this.flags, mode: 0o600 });
      await Promise.race([once(stream, 'open'), once(stream, 'error').then(([error]) => Promise.reject(error))]);
      this.stream = stream;
    }
    this.count++;
    if (!this.stream.write(`${JSON.stringify(rejection)}\n`)) await once(this.stream, 'drain');
  }

  /** The file's path when rows were rejected, else undefined (nothing was written). */
  get written(): string | undefined {
    return this.count > 0 ? this.path : undefined;
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/** What each reason code means, for the reject line's message; the detail, when there is one, is added. */
const MEANING: Readonly<Record<string, string>> = {
  JSON_SYNTAX: 'the line is not valid JSON',
  ROW_NOT_OBJECT: 'a line must hold one JSON object',
  UTF8_INVALID: 'the line is not valid UTF-8',
  CSV_SYNTAX: 'the row is not valid CSV',
  CSV_UNCLOSED_QUOTE: 'a quote opened on this line is never closed',
  CSV_COLUMN_COUNT: 'the row does not have the header’s number of columns',
  MISSING_KEY: 'the row has no value in the source’s key field',
  KEY_TOO_LONG: 'the key is longer than 512 characters',
  UNKNOWN_SOURCE: 'the source is not declared in the rules',
  NO_MEMBER_COLUMNS: 'the row names no member: no profile_id, source and record_id, or identifier',
  RECORD_ID_WITHOUT_SOURCE: 'a record_id needs its source',
  VALUE_TOO_LONG: 'a value is too long',
};

export function rejectMessage(code: string, detail?: string): string {
  const meaning = MEANING[code];
  if (!meaning) return detail ?? code;
  return detail && detail !== meaning ? `${meaning}: ${detail}` : meaning;
}
