/**
 * One CSV file for Neo4j's offline importer (`neo4j-admin database import full`), in the dialect it
 * reads by default: comma-separated, every text in double quotes with inner quotes doubled (RFC
 * 4180), numbers and booleans bare, a missing value an empty unquoted field (no property at all,
 * as a Cypher write of null leaves none). A quoted "" stays an empty text.
 *
 * Rows are gathered into large writes (synchronous: the load has nothing else to do meanwhile). A text holding a line break is legal, but the importer reads
 * such a file only when told to (`--multiline-fields`, which is slower): `multiline` says whether
 * this file needs it.
 *
 * A first load writes tens of millions of fields, so each goes straight into the buffer: whole
 * numbers as their digits, texts as UTF-8 with their quotes doubled in place. Building each field
 * and row as a string first, then copying it, cost about three times as much (most rows are
 * relationships of four numbers; a record's JSON holds dozens of quotes).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Integer } from 'neo4j-driver';

export type Field = string | number | boolean | Integer | null;

/**
 * Bytes gathered before a write. Fields are copied into this buffer as they come, so no row
 * outlives its call: strings kept until a large write would survive collections and fill the old
 * generation (a first load writes millions of rows).
 */
const BUFFER_BYTES = 1024 * 1024;
/** Room for any number's text or a boolean, and the comma before it. */
const SHORT_FIELD_BYTES = 32;
const COMMA = 0x2c;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const ZERO = 0x30;

export class CsvFile {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private lines = 0;
  private breaks = false;

  private constructor(
    readonly name: string,
    private readonly fd: number,
  ) {}

  /** Creates the file (refusing one that exists) and writes its header, e.g. `ref:ID(Record)`, `ts:long`. */
  static create(path: string, name: string, header: readonly string[]): CsvFile {
    const file = new CsvFile(name, openSync(path, 'wx'));
    file.bare(`${header.join(',')}\n`);
    return file;
  }

  /** Rows written, the header not counted. */
  get rows(): number {
    return this.lines;
  }

  /** Whether a text holds a line break, so the importer must read this file with --multiline-fields. */
  get multiline(): boolean {
    return this.breaks;
  }

  row(fields: readonly Field[]): void {
    for (let at = 0; at < fields.length; at++) {
      if (this.used + SHORT_FIELD_BYTES > BUFFER_BYTES) this.flush();
      if (at > 0) this.buffer[this.used++] = COMMA;
      const value = fields[at] as Field;
      if (value === null) continue;
      if (typeof value === 'string') this.quoted(value);
      else if (typeof value === 'number') this.number(value);
      else if (typeof value === 'boolean') this.bare(value ? 'true' : 'false');
      // A Cypher integer of the row shaping: its value fits a number (commit numbers, times, counts).
      else this.number(value.toNumber());
    }
    if (this.used + 1 > BUFFER_BYTES) this.flush();
    this.buffer[this.used++] = NEWLINE;
    this.lines++;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  /** A number as JavaScript prints it; whole ones (nearly all) digit by digit, without a string. */
  private number(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) {
      this.bare(String(value));
      return;
    }
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    const { buffer } = this;
    const first = this.used;
    let rest = value;
    for (let at = first + digits - 1; at >= first; at--) {
      const next = Math.floor(rest / 10);
      buffer[at] = ZERO + (rest - next * 10);
      rest = next;
    }
    this.used = first + digits;
  }

  /**
   * A text in quotes. Its UTF-8 is written first, then widened in place from the end, one more
   * quote byte after each quote byte: a quote byte in UTF-8 is always the quote itself.
   */
  private quoted(value: string): void {
    if (!this.breaks && (value.includes('\n') || value.includes('\r'))) this.breaks = true;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8; a quote, doubled, takes 2.
    const most = value.length * 3 + 2;
    if (this.used + most > BUFFER_BYTES) this.flush();
    if (most > BUFFER_BYTES) {
      this.bare(`"${value.replaceAll('"', '""')}"`);
      return;
    }
    const { buffer } = this;
    buffer[this.used++] = QUOTE;
    const start = this.used;
    let end = start + buffer.write(value, start);
    if (value.includes('"')) {
      let quotes = 0;
      for (let at = start; at < end; at++) if (buffer[at] === QUOTE) quotes++;
      let from = end - 1;
      end += quotes;
      let to = end - 1;
      while (quotes > 0) {
        const byte = buffer[from--] as number;
        buffer[to--] = byte;
        if (byte === QUOTE) {
          buffer[to--] = QUOTE;
          quotes--;
        }
      }
    }
    buffer[end] = QUOTE;
    this.used = end + 1;
  }

  /** Text written as it is (headers, booleans, numbers JavaScript must print). */
  private bare(text: string): void {
    if (this.used + text.length * 3 > BUFFER_BYTES) this.flush();
    if (text.length * 3 > BUFFER_BYTES) {
      writeSync(this.fd, text);
      return;
    }
    this.used += this.buffer.write(text, this.used);
  }

  private flush(): void {
    let at = 0;
    while (at < this.used) at += writeSync(this.fd, this.buffer, at, this.used - at);
    this.used = 0;
  }
}
