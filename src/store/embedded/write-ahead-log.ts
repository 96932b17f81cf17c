/**
 * An append-only log of commits, one line each: `<crc32 hex> <text>`. A commit is acknowledged
 * only after its line is fsynced, so `kill -9` at any moment leaves every acknowledged commit intact
 * and at most one torn line at the end, which the checksum exposes and recovery cuts off (that commit
 * was never acknowledged, so nothing is lost and nothing is half applied).
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open, rm, truncate } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { replaceFile } from './replace-file.js';

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

const NEWLINE = Buffer.from('\n');
/** Buffers per vectored write. */
const WRITEV_BUFFERS = 1024;
/** Characters encoded at once (see encodeJoined): small enough to die young. */
const GROUP_CHARS = 32 * 1024;

export class WriteAheadLog<Entry> {
  private constructor(
    private handle: FileHandle,
    readonly path: string,
    private readonly codec: LineCodec<Entry>,
    /** Bytes of intact log: where the next line starts. */
    private size: number,
  ) {}

  /** Replays every intact commit through `onCommit`, cuts a torn tail, and opens the log for appending. */
  static async open<Entry>(
    path: string,
    onCommit: (entry: Entry) => void,
    codec: LineCodec<Entry> = jsonCodec as LineCodec<Entry>,
  ): Promise<WriteAheadLog<Entry>> {
    // A rewrite cut off before its rename leaves only this behind; the log itself is whole.
    await rm(`${path}.rewrite`, { force: true });
    const intactBytes = await replay(path, onCommit, codec);
    await truncate(path, intactBytes).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const handle = await open(path, 'a');
    return new WriteAheadLog<Entry>(handle, path, codec, intactBytes);
  }

  /**
   * Replays every intact commit through `onCommit` and changes nothing: a torn tail is left alone
   * (it may be a line the writer is appending right now). The log is opened for reading only.
   */
  static async openForReading<Entry>(
    path: string,
    onCommit: (entry: Entry) => void,
    codec: LineCodec<Entry>,
  ): Promise<WriteAheadLog<Entry>> {
    const intactBytes = await replay(path, onCommit, codec);
    const handle = await open(path, 'r');
    return new WriteAheadLog<Entry>(handle, path, codec, intactBytes);
  }

  /** Appends an entry durably; returns the byte offset its line starts at (see `replayFrom`). */
  async append(entry: Entry): Promise<number> {
    const start = this.size;
    this.size += await appendOrCutBack(this.handle, start, encodeLine(entry, this.codec));
    return start;
  }

  /** Replays the entries from the line at `offset` (as `append` returned it) to the end. */
  async replayFrom(offset: number, onCommit: (entry: Entry) => void): Promise<void> {
    for await (const { entry } of intactLines(this.path, this.codec, offset)) onCommit(entry);
  }

  /**
   * Rewrites past entries in place of the old file (erasure: see core/resolve/erasure.ts). Entries
   * `change` returns anew are encoded again; the others are copied byte for byte. The new log is
   * written beside the old one, flushed, and renamed over it, so a crash leaves one or the other.
   * Lines `mayChange` rules out are copied without being decoded past their checksum.
   */
  async rewrite(
    change: (entry: Entry) => Entry | undefined,
    mayChange: (line: Buffer) => boolean = () => true,
  ): Promise<void> {
    await replaceFile(this.path, async (out) => {
      for await (const line of completeLines(this.path)) {
        let changed: Entry | undefined;
        if (mayChange(line)) {
          const entry = parseLine(line, this.codec);
          if (!entry) break;
          changed = change(entry);
        } else if (!intact(line)) break;
        await writeBuffers(out, changed === undefined ? [line, NEWLINE] : encodeLine(changed, this.codec));
      }
    });
    await this.handle.close();
    this.handle = await open(this.path, 'a');
    this.size = (await this.handle.stat()).size;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Returns the byte length of the intact prefix. */
async function replay<Entry>(path: string, onCommit: (entry: Entry) => void, codec: LineCodec<Entry>): Promise<number> {
  let intactBytes = 0;
  for await (const { line, entry } of intactLines(path, codec)) {
    onCommit(entry);
    intactBytes += line.length + 1;
  }
  return intactBytes;
}

/** The log's intact lines with their entries, up to the first torn one. */
async function* intactLines<Entry>(
  path: string,
  codec: LineCodec<Entry>,
  start = 0,
): AsyncGenerator<{ line: Buffer; entry: Entry }> {
  for await (const line of completeLines(path, start)) {
    const entry = parseLine(line, codec);
    if (!entry) return;
    yield { line, entry };
  }
}

/** The file's lines that end in a newline, without it, from `start` (a last line without one is torn). */
async function* completeLines(path: string, start = 0): AsyncGenerator<Buffer> {
  let stream: ReturnType<typeof createReadStream>;
  try {
    const probe = await open(path, 'r');
    await probe.close();
    // Large reads: a bulk commit's line is megabytes long, and the log of a large store gigabytes.
    stream = createReadStream(path, { start, highWaterMark: 4 * 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  // Chunks of the line being assembled: joined once its newline arrives, so a long line (a bulk
  // commit) is copied once rather than once per chunk.
  let pieces: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, from)) {
        pieces.push(chunk.subarray(from, newline));
        yield pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
        pieces = [];
        from = newline + 1;
      }
      if (from < chunk.length) pieces.push(chunk.subarray(from));
    }
  } finally {
    stream.destroy();
  }
}

/** An entry as the buffers of its line: checksum, a space, the parts joined by tabs, a newline. */
function encodeLine<Entry>(entry: Entry, codec: LineCodec<Entry>): Buffer[] {
  const buffers = encodeJoined(codec.encode(entry), '\t');
  let crc = 0;
  for (const bytes of buffers) crc = crc32(bytes, crc);
  buffers.unshift(Buffer.from(`${crc.toString(16).padStart(8, '0')} `, 'latin1'));
  buffers.push(NEWLINE);
  return buffers;
}

/**
 * `parts.join(separator)` as UTF-8 buffers, encoded about GROUP_CHARS characters at a time: a bulk
 * commit has tens of thousands of parts, and a buffer each costs more than the copy, while one
 * string for them all would be garbage that only a full collection frees (and could pass V8's
 * limit on string length).
 */
export function encodeJoined(parts: Iterable<string>, separator: string): Buffer[] {
  const buffers: Buffer[] = [];
  let group: string[] = [];
  let chars = 0;
  for (const part of parts) {
    if (chars >= GROUP_CHARS) {
      buffers.push(Buffer.from(group.join(separator) + separator, 'utf8'));
      group = [];
      chars = 0;
    }
    group.push(part);
    chars += part.length;
  }
  if (group.length > 0) buffers.push(Buffer.from(group.join(separator), 'utf8'));
  return buffers;
}

/** Writes the buffers in order, without copying them together; returns the bytes written. */
async function writeBuffers(handle: FileHandle, buffers: readonly Buffer[]): Promise<number> {
  let written = 0;
  // A bounded number of buffers per call (the system's limit on one vectored write is 1,024).
  for (let at = 0; at < buffers.length; at += WRITEV_BUFFERS) {
    const some = buffers.slice(at, at + WRITEV_BUFFERS);
    const expected = some.reduce((sum, buffer) => sum + buffer.length, 0);
    const { bytesWritten } = await handle.writev(some);
    // A short write (a full disk, say) is finished in one piece, or fails with the system's error.
    if (bytesWritten < expected) await handle.write(Buffer.concat(some).subarray(bytesWritten));
    written += expected;
  }
  return written;
}

/**
 * Writes the buffers at the end of the file (which is `start` bytes long), flushes them and tells
 * how many bytes that was. If that fails (a full disk, say), the file is cut back to `start`, so a
 * part of the line never stays in front of the next one, where it would end the intact log there
 * and lose what follows.
 */
export async function appendOrCutBack(handle: FileHandle, start: number, buffers: readonly Buffer[]): Promise<number> {
  try {
    const written = await writeBuffers(handle, buffers);
    await handle.datasync();
    return written;
  } catch (error) {
    await cutBack(handle, start);
    throw error;
  }
}

/** Cuts the file back to `size` bytes; if that fails, closes it, so that nothing is appended after what is left. */
export async function cutBack(handle: FileHandle, size: number): Promise<void> {
  try {
    await handle.truncate(size);
    await handle.datasync();
  } catch {
    await handle.close().catch(() => undefined);
  }
}

/** Whether the line's checksum matches its body (a torn line's does not). */
function intact(line: Buffer): boolean {
  if (line.length < 9 || line[8] !== 0x20) return false;
  return crc32(line.subarray(9)).toString(16).padStart(8, '0') === line.toString('latin1', 0, 8);
}

function parseLine<Entry>(line: Buffer, codec: LineCodec<Entry>): Entry | undefined {
  if (!intact(line)) return undefined;
  const body = line.subarray(9);
  try {
    return codec.decode(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
