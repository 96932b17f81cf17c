/**
 * An append-only log of commits, one line each: `<crc32 hex> <text>`. A commit is acknowledged
 * only after its line is fsynced, so `kill -9` at any moment leaves every acknowledged commit intact
 * and at most one torn line at the end, which the checksum exposes and recovery cuts off (that commit
 * was never acknowledged, so nothing is lost and nothing is half applied).
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open, truncate } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

/**
 * How entries become lines: `encode` returns the line's parts, written joined by tabs (so a codec
 * can pass large pieces through without concatenating them); no part may hold a newline.
 */
export interface LineCodec<Entry> {
  encode(entry: Entry): string[];
  decode(line: string): Entry;
}

const jsonCodec: LineCodec<never> = {
  encode: (entry) => [JSON.stringify(entry)],
  decode: (line) => JSON.parse(line) as never,
};

const TAB = Buffer.from('\t');
const NEWLINE = Buffer.from('\n');
/** Parts are gathered into writes of about this size. */
const WRITE_CHUNK_BYTES = 8 * 1024 * 1024;

export class WriteAheadLog<Entry> {
  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    private readonly codec: LineCodec<Entry>,
  ) {}

  /** Replays every intact commit through `onCommit`, cuts a torn tail, and opens the log for appending. */
  static async open<Entry>(
    path: string,
    onCommit: (entry: Entry) => void,
    codec: LineCodec<Entry> = jsonCodec as LineCodec<Entry>,
  ): Promise<WriteAheadLog<Entry>> {
    const intactBytes = await replay(path, onCommit, codec);
    await truncate(path, intactBytes).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const handle = await open(path, 'a');
    return new WriteAheadLog<Entry>(handle, path, codec);
  }

  async append(entry: Entry): Promise<void> {
    // Each part is encoded once, feeds the running checksum, and is written in large chunks.
    const parts = this.codec.encode(entry);
    const buffers: Buffer[] = [];
    let crc = 0;
    parts.forEach((part, index) => {
      if (index > 0) {
        buffers.push(TAB);
        crc = crc32(TAB, crc);
      }
      const bytes = Buffer.from(part, 'utf8');
      buffers.push(bytes);
      crc = crc32(bytes, crc);
    });
    buffers.unshift(Buffer.from(`${crc.toString(16).padStart(8, '0')} `, 'latin1'));
    buffers.push(NEWLINE);
    let chunk: Buffer[] = [];
    let size = 0;
    for (const buffer of buffers) {
      chunk.push(buffer);
      size += buffer.length;
      if (size >= WRITE_CHUNK_BYTES) {
        await this.handle.write(Buffer.concat(chunk, size));
        chunk = [];
        size = 0;
      }
    }
    if (chunk.length > 0) await this.handle.write(Buffer.concat(chunk, size));
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Returns the byte length of the intact prefix. A last line without its newline is torn. */
async function replay<Entry>(path: string, onCommit: (entry: Entry) => void, codec: LineCodec<Entry>): Promise<number> {
  let stream: ReturnType<typeof createReadStream>;
  try {
    const probe = await open(path, 'r');
    await probe.close();
    stream = createReadStream(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let intactBytes = 0;
  // Chunks of the line being assembled: joined once its newline arrives, so a long line (a bulk
  // commit) is copied once rather than once per chunk.
  let pieces: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    let newline = chunk.indexOf(0x0a, start);
    while (newline !== -1) {
      pieces.push(chunk.subarray(start, newline));
      const line = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
      pieces = [];
      const entry = parseLine(line, codec);
      if (!entry) {
        stream.destroy();
        return intactBytes;
      }
      onCommit(entry);
      intactBytes += line.length + 1;
      start = newline + 1;
      newline = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) pieces.push(chunk.subarray(start));
  }
  return intactBytes;
}

function parseLine<Entry>(line: Buffer, codec: LineCodec<Entry>): Entry | undefined {
  if (line.length < 9 || line[8] !== 0x20) return undefined;
  const body = line.subarray(9);
  if (crc32(body).toString(16).padStart(8, '0') !== line.toString('latin1', 0, 8)) return undefined;
  try {
    return codec.decode(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
