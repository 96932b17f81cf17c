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

/** Bytes gathered before a write: fewer, larger writes. */
const CHUNK = 1 << 20;

/**
 * Rows as COPY text, written into a buffer field by field (a string per line, joined per chunk,
 * cost three times as much in flattening and garbage collection), and the buffer to the stream.
 */
export class CopyWriter {
  private buffer = Buffer.allocUnsafe(CHUNK);
  private offset = 0;
  private lastTime = Number.NaN;
  private readonly lastTimeBytes = Buffer.alloc(TIME_BYTES);
  private readonly days = new Map<number, string>();
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
      for (let at = 0; at < row.length; at++) {
        this.field(row[at] as Value, types[at] as ColumnType);
        this.buffer[this.offset++] = at === row.length - 1 ? NEWLINE : TAB;
      }
      if (this.offset >= CHUNK) await this.flush();
    }
    this.rows += rows.length;
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
    if (this.offset === 0) return;
    const chunk = this.buffer.subarray(0, this.offset);
    // The stream keeps the chunk until written: the next rows go into a buffer of their own.
    this.buffer = Buffer.allocUnsafe(CHUNK);
    this.offset = 0;
    if (!this.out.write(chunk)) {
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

  private field(value: Value, type: ColumnType): void {
    if (value === null) this.ascii('\\N');
    else if (type === 'timestamp') this.time(value as number);
    else if (type === 'boolean') this.ascii(value ? 't' : 'f');
    else if (typeof value === 'number') this.ascii(String(value));
    else {
      const text = /[\\\t\n\r]/.test(value as string) ? escapeCopyText(value as string) : (value as string);
      this.room(text.length * 3);
      this.offset += this.buffer.write(text, this.offset, 'utf8');
    }
  }

  private ascii(text: string): void {
    this.room(text.length);
    this.offset += this.buffer.write(text, this.offset, 'latin1');
  }

  /** Makes room for `bytes` more (and a separator) in the buffer, which a long value may outgrow. */
  private room(bytes: number): void {
    if (this.offset + bytes + 1 <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes + 1));
    this.buffer.copy(larger, 0, 0, this.offset);
    this.buffer = larger;
  }

  /**
   * A time as PostgreSQL reads it, `2024-01-17 07:26:54.247+00`, in bytes: Date's toISOString
   * costs about a microsecond, as much as the rest of a row. The date part is made once per day,
   * the rest from digits; a run's rows share their updated_at, copied as it was.
   */
  private time(ms: number): void {
    this.room(TIME_BYTES);
    const buffer = this.buffer;
    if (ms === this.lastTime) {
      this.lastTimeBytes.copy(buffer, this.offset);
      this.offset += TIME_BYTES;
      return;
    }
    const start = this.offset;
    const day = Math.floor(ms / DAY_MS);
    let date = this.days.get(day);
    if (date === undefined) {
      if (this.days.size >= DAYS_KEPT) this.days.clear();
      date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      this.days.set(day, date);
    }
    // Years before 1 or after 9999 have no place in this format: such a record time is left out.
    if (!/^\d{4}-/.test(date)) {
      this.ascii('\\N');
      return;
    }
    let at = start + buffer.write(date, start, 'latin1');
    let rest = ms - day * DAY_MS;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    buffer[at++] = SPACE;
    at = twoDigits(buffer, at, hours);
    buffer[at++] = COLON;
    at = twoDigits(buffer, at, minutes);
    buffer[at++] = COLON;
    at = twoDigits(buffer, at, seconds);
    buffer[at++] = DOT;
    buffer[at++] = ZERO + Math.floor(millis / 100);
    buffer[at++] = ZERO + (Math.floor(millis / 10) % 10);
    buffer[at++] = ZERO + (millis % 10);
    buffer[at++] = PLUS;
    buffer[at++] = ZERO;
    buffer[at++] = ZERO;
    this.offset = at;
    this.lastTime = ms;
    buffer.copy(this.lastTimeBytes, 0, start, at);
  }
}

function twoDigits(buffer: Buffer, at: number, value: number): number {
  buffer[at] = ZERO + Math.floor(value / 10);
  buffer[at + 1] = ZERO + (value % 10);
  return at + 2;
}

const DAY_MS = 86_400_000;
/** Date texts kept for reuse, at most (one a day). */
const DAYS_KEPT = 100_000;
/** `YYYY-MM-DD HH:MM:SS.mmm+00`: years 0000 to 9999, as record times are. */
const TIME_BYTES = 26;
const [TAB, NEWLINE, SPACE, COLON, DOT, PLUS, ZERO] = [9, 10, 32, 58, 46, 43, 48] as const;

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
