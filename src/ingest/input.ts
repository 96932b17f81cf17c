/**
 * Where rows come from, as bytes: a file, a gzip-compressed file (`.gz`, decompressed as it streams),
 * or standard input (`-`). The first bytes are read ahead (`head`) so the columns can be checked
 * before anything is committed, then handed out again in front of the rest: a stream that cannot be
 * re-read (stdin) is still read once. Every reader of rows (read-rows.ts, read-chunks.ts) takes an
 * Input, so a new kind of source only has to make one.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export interface Input {
  /** As given: a file's path, or `-` for standard input. */
  readonly path: string;
  /** As the input is named in rejects and messages: the file's name, or `stdin`. */
  readonly name: string;
  /** Bytes to read when known (a regular file; for `.gz`, its compressed size): for progress. */
  readonly size: number | undefined;
  /** The first bytes (decompressed), read ahead; also the start of `chunks()`. */
  readonly head: Buffer;
  /** Whether `head` is the whole input (its last line is then whole too). */
  readonly headIsWhole: boolean;
  /** Bytes read from the file so far (compressed ones for `.gz`), for progress. */
  bytesRead(): number;
  /** Every byte of the input, `head` first. Can be taken once. */
  chunks(): AsyncIterable<Buffer>;
  /** Lets the file go without reading it to its end. */
  close(): Promise<void>;
}

/**
 * A failure to read an input (not a bad row: the bytes themselves, or the database or file the rows
 * come from), named by the input; never quoting a password or a value of the data.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly code: InputErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type InputErrorCode =
  | 'INPUT_UNREADABLE'
  | 'GZIP_INVALID'
  | 'STDIN_TWICE'
  | 'PARQUET_INVALID'
  /** A `--from` URL that names no database idgraph reads (or is not a URL). */
  | 'SOURCE_URL_INVALID'
  /** The database does not answer: refused, unknown host, timed out, the connection lost. */
  | 'SOURCE_UNREACHABLE'
  /** The database refused the credentials or the user's right to read. */
  | 'SOURCE_AUTH'
  /** No such database, table or column. */
  | 'SOURCE_NOT_FOUND'
  /** The database refused the query (its syntax, a type, a value it could not read). */
  | 'SOURCE_QUERY_FAILED';

export const STDIN = '-';

/** Enough for a CSV header or the first hundred NDJSON rows of typical records. */
const DEFAULT_HEAD_BYTES = 256 * 1024;

export interface OpenInputOptions {
  readonly headBytes?: number;
  /** Standard input, replaceable in tests. */
  readonly stdin?: Readable;
}

export async function openInput(path: string, options: OpenInputOptions = {}): Promise<Input> {
  const headBytes = options.headBytes ?? DEFAULT_HEAD_BYTES;
  let raw: Readable;
  let size: number | undefined;
  let name: string;
  let bytesRead = () => 0;
  if (path === STDIN) {
    raw = options.stdin ?? process.stdin;
    name = 'stdin';
  } else {
    // Opened first, so a missing or unreadable file is an error the caller meets here, not a stream event.
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      throw new InputError('INPUT_UNREADABLE', `cannot read ${path}: ${error.code ?? 'error'}`);
    });
    const stat = await handle.stat();
    size = stat.isFile() ? stat.size : undefined;
    const file = handle.createReadStream();
    raw = file;
    name = basename(path);
    bytesRead = () => file.bytesRead;
  }
  const gzipped = /\.gz$/i.test(path);
  const stream = gzipped ? raw.pipe(createGunzip()) : raw;
  if (gzipped) raw.on('error', (error) => stream.destroy(error));
  const reader = bytesOf(stream, name, gzipped)[Symbol.asyncIterator]();

  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  try {
    while (headLength < headBytes) {
      const next = await reader.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      headLength += next.value.length;
    }
  } catch (error) {
    // Not gzip, say: the file is let go before the error is told.
    if (path !== STDIN) raw.destroy();
    throw error;
  }
  const headBuffer = Buffer.concat(head);
  let taken = false;
  return {
    path,
    name,
    size,
    head: headBuffer,
    headIsWhole: ended,
    bytesRead,
    async *chunks() {
      if (taken) throw new InputError('STDIN_TWICE', `${name} can be read only once`);
      taken = true;
      if (headBuffer.length > 0) yield headBuffer;
      if (ended) return;
      for (;;) {
        const next = await reader.next();
        if (next.done) return;
        yield next.value;
      }
    },
    async close() {
      if (path !== STDIN) raw.destroy();
      await reader.return?.();
    },
  };
}

async function* bytesOf(stream: Readable, name: string, gzipped: boolean): AsyncIterable<Buffer> {
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (gzipped && code.startsWith('Z_')) {
      throw new InputError('GZIP_INVALID', `cannot read ${name}: not a valid gzip file (${code})`);
    }
    throw new InputError('INPUT_UNREADABLE', `cannot read ${name}: ${code}`);
  }
}

/** The inputs' total size in bytes, when every one is known. */
export function totalSize(inputs: readonly { readonly size: number | undefined }[]): number | undefined {
  let total = 0;
  for (const input of inputs) {
    if (input.size === undefined) return undefined;
    total += input.size;
  }
  return total;
}

/** `-` names standard input once: a second `-` could only read nothing. */
export function requireStdinOnce(paths: readonly string[]): void {
  if (paths.filter((path) => path === STDIN).length > 1) {
    throw new InputError('STDIN_TWICE', 'standard input (-) can be read only once per command');
  }
}
