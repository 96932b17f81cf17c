/**
 * Rows spooled to a temporary file in PostgreSQL's COPY text format while the store is read, then
 * streamed to the server by COPY FROM STDIN. One run's rows for a table may be millions: held on
 * disk they cost no memory, and COPY takes them in one statement.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ColumnType } from './table-layout.js';
import type { Row, Value } from './table-rows.js';

/** Bytes gathered before a write: fewer, larger writes to the file. */
const CHUNK = 1 << 20;

export class CopySpool {
  private readonly out: WriteStream;
  private pending: string[] = [];
  private pendingLength = 0;
  private lastTime = Number.NaN;
  private lastTimeText = '';
  /** A write that failed (a full disk): the next call reports it. */
  private failure: Error | undefined;
  rows = 0;

  constructor(
    readonly path: string,
    private readonly types: readonly ColumnType[],
  ) {
    this.out = createWriteStream(path, { mode: 0o600 });
    this.out.on('error', (error) => {
      this.failure = error;
    });
  }

  async add(rows: readonly Row[]): Promise<void> {
    for (const row of rows) {
      const line = row.map((value, at) => this.field(value, this.types[at] as ColumnType)).join('\t');
      this.pending.push(line);
      this.pendingLength += line.length + 1;
    }
    this.rows += rows.length;
    if (this.pendingLength >= CHUNK) await this.flush();
  }

  /** The spooled rows, once every one is on disk. */
  async read(): Promise<Readable> {
    await this.flush();
    // 'close' comes after the last write, or after a failure ('finish' would not come then).
    await new Promise<void>((resolve) => {
      this.out.once('close', resolve);
      this.out.end();
    });
    if (this.failure) throw this.failure;
    return createReadStream(this.path, { highWaterMark: CHUNK });
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingLength = 0;
    if (!this.out.write(text)) {
      await new Promise<void>((resolve) => {
        this.out.once('drain', resolve);
        this.out.once('error', () => resolve());
      });
      if (this.failure) throw this.failure;
    }
  }

  private field(value: Value, type: ColumnType): string {
    if (value === null) return '\\N';
    if (type === 'timestamp') return this.time(value as number);
    if (type === 'boolean') return value ? 't' : 'f';
    if (typeof value === 'number') return String(value);
    return /[\\\t\n\r]/.test(value as string) ? escapeCopyText(value as string) : (value as string);
  }

  /** A run's rows share their updated_at: its text is made once. */
  private time(ms: number): string {
    if (ms !== this.lastTime) {
      this.lastTime = ms;
      this.lastTimeText = new Date(ms).toISOString();
    }
    return this.lastTimeText;
  }
}

/** COPY text format: backslash, tab, newline and carriage return as backslash escapes. */
function escapeCopyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (char) =>
    char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r',
  );
}
