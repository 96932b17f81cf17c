/**
 * Rows in PostgreSQL's COPY text format, written to a stream as the store is read: either a COPY
 * FROM STDIN under way (the server loads them while the next batch is read, on the other core), or
 * a temporary file sent by COPY once the first is done (a connection runs one COPY at a time, and
 * one run's rows may be millions: on disk they cost no memory).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ColumnType } from './table-layout.js';
import type { Row, Value } from './table-rows.js';

/** Text gathered before a write: fewer, larger writes. */
const CHUNK = 1 << 20;
/** Timestamp texts kept for reuse, at most. */
const TIMES_KEPT = 10_000;

export class CopyWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  private lastTime = Number.NaN;
  private lastTimeText = '';
  private readonly times = new Map<number, string>();
  /** A failure of the stream (a full disk, a row the server refused): the next call reports it. */
  private failure: Error | undefined;
  rows = 0;

  constructor(
    private readonly out: Writable,
    private readonly types: readonly ColumnType[],
  ) {
    out.on('error', (error) => {
      this.failure ??= error;
    });
  }

  async add(rows: readonly Row[]): Promise<void> {
    const types = this.types;
    for (const row of rows) {
      let line = this.field(row[0] as Value, types[0] as ColumnType);
      for (let at = 1; at < row.length; at++) line += `\t${this.field(row[at] as Value, types[at] as ColumnType)}`;
      this.pending.push(line);
      this.pendingLength += line.length + 1;
    }
    this.rows += rows.length;
    if (this.pendingLength >= CHUNK) await this.flush();
  }

  /** Writes what is left and ends the stream; resolves once it has all been taken (or fails). */
  async end(): Promise<void> {
    await this.flush();
    this.out.end();
    await finished(this.out).catch((error: Error) => {
      this.failure ??= error;
    });
    if (this.failure) throw this.failure;
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingLength = 0;
    if (!this.out.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.out.off('drain', done);
          this.out.off('error', done);
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('error', done);
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

  /** A run's rows share their updated_at, and a record's identifiers its time: each text is made once. */
  private time(ms: number): string {
    if (ms === this.lastTime) return this.lastTimeText;
    let text = this.times.get(ms);
    if (text === undefined) {
      if (this.times.size >= TIMES_KEPT) this.times.clear();
      text = new Date(ms).toISOString();
      this.times.set(ms, text);
    }
    this.lastTime = ms;
    this.lastTimeText = text;
    return text;
  }
}

/** Rows spooled to a file, to be sent by a COPY later. */
export class CopySpool {
  private readonly writer: CopyWriter;

  constructor(
    readonly path: string,
    types: readonly ColumnType[],
  ) {
    this.writer = new CopyWriter(createWriteStream(path, { mode: 0o600 }), types);
  }

  add(rows: readonly Row[]): Promise<void> {
    return this.writer.add(rows);
  }

  /** The spooled rows, once every one is on disk. */
  async read(): Promise<Readable> {
    await this.writer.end();
    return createReadStream(this.path, { highWaterMark: CHUNK });
  }
}

/** COPY text format: backslash, tab, newline and carriage return as backslash escapes. */
function escapeCopyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (char) =>
    char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r',
  );
}
