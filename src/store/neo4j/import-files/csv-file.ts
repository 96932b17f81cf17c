/**
 * One CSV file for Neo4j's offline importer (`neo4j-admin database import full`), in the dialect it
 * reads by default: comma-separated, every text in double quotes with inner quotes doubled (RFC
 * 4180), numbers and booleans bare, a missing value an empty unquoted field (no property at all,
 * as a Cypher write of null leaves none). A quoted "" stays an empty text.
 *
 * Rows are gathered into large writes. A text holding a line break is legal, but the importer reads
 * such a file only when told to (`--multiline-fields`, which is slower): `multiline` says whether
 * this file needs it.
 */
import { type FileHandle, open } from 'node:fs/promises';
import type { Integer } from 'neo4j-driver';

export type Field = string | number | boolean | Integer | null;

/** Characters buffered before a write: a few large writes instead of millions of small ones. */
const FLUSH_AT = 4 * 1024 * 1024;
const QUOTE = /"/g;
const LINE_BREAK = /[\n\r]/;

export class CsvFile {
  private buffered: string[] = [];
  private size = 0;
  private lines = 0;
  private breaks = false;

  private constructor(
    readonly name: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates the file (refusing one that exists) and writes its header, e.g. `ref:ID(Record)`, `ts:long`. */
  static async create(path: string, name: string, header: readonly string[]): Promise<CsvFile> {
    const file = new CsvFile(name, await open(path, 'wx'));
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

  /** Adds a row; resolves at once unless the buffer was written out. */
  async row(fields: readonly Field[]): Promise<void> {
    let line = '';
    for (let at = 0; at < fields.length; at++) {
      if (at > 0) line += ',';
      line += this.field(fields[at] as Field);
    }
    this.lines++;
    this.push(`${line}\n`);
    if (this.size >= FLUSH_AT) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }

  private field(value: Field): string {
    if (value === null) return '';
    if (typeof value === 'string') {
      if (!this.breaks && LINE_BREAK.test(value)) this.breaks = true;
      return `"${value.includes('"') ? value.replace(QUOTE, '""') : value}"`;
    }
    return String(value);
  }

  private push(text: string): void {
    this.buffered.push(text);
    this.size += text.length;
  }

  private async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const text = this.buffered.join('');
    this.buffered = [];
    this.size = 0;
    await this.handle.write(text);
  }
}
