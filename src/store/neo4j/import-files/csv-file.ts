/**
 * One CSV file for Neo4j's offline importer (`neo4j-admin database import full`), in the dialect it
 * reads by default: comma-separated, every text in double quotes with inner quotes doubled (RFC
 * 4180), numbers and booleans bare, a missing value an empty unquoted field (no property at all,
 * as a Cypher write of null leaves none). A quoted "" stays an empty text.
 *
 * Rows are gathered into large writes (synchronous: the load has nothing else to do meanwhile). A text holding a line break is legal, but the importer reads
 * such a file only when told to (`--multiline-fields`, which is slower): `multiline` says whether
 * this file needs it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Integer } from 'neo4j-driver';

export type Field = string | number | boolean | Integer | null;

/**
 * Bytes gathered before a write. Each row is copied into this buffer as it is made, so its strings
 * die young: rows kept as strings until a large write would survive collections and fill the old
 * generation (a first load writes millions of them).
 */
const BUFFER_BYTES = 1024 * 1024;
const QUOTE = /"/g;
const LINE_BREAK = /[\n\r]/;

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
    file.push(`${header.join(',')}\n`);
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
    let line = '';
    for (let at = 0; at < fields.length; at++) {
      if (at > 0) line += ',';
      line += this.field(fields[at] as Field);
    }
    this.lines++;
    this.push(`${line}\n`);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private field(value: Field): string {
    if (value === null) return '';
    if (typeof value === 'string') {
      if (!this.breaks && LINE_BREAK.test(value)) this.breaks = true;
      return `"${value.includes('"') ? value.replace(QUOTE, '""') : value}"`;
    }
    // A Cypher integer of the row shaping: its value fits a number (commit numbers, times, counts),
    // and a number prints much faster than the Integer's own toString.
    return typeof value === 'object' ? String(value.toNumber()) : String(value);
  }

  private push(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
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
