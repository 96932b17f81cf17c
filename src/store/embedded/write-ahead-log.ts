/**
 * An append-only log of ChangeSets, one line each: `<crc32 hex> <json>`. A commit is acknowledged
 * only after its line is fsynced, so `kill -9` at any moment leaves every acknowledged commit intact
 * and at most one torn line at the end, which the checksum exposes and recovery cuts off (that commit
 * was never acknowledged, so nothing is lost and nothing is half applied).
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open, truncate } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import type { ChangeSet } from '../graph-store.js';

export class WriteAheadLog {
  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  /** Replays every intact commit through `onCommit`, cuts a torn tail, and opens the log for appending. */
  static async open(path: string, onCommit: (change: ChangeSet) => void): Promise<WriteAheadLog> {
    const intactBytes = await replay(path, onCommit);
    await truncate(path, intactBytes).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const handle = await open(path, 'a');
    return new WriteAheadLog(handle, path);
  }

  async append(change: ChangeSet): Promise<void> {
    const json = JSON.stringify(change);
    const line = `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
    await this.handle.write(line);
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Returns the byte length of the intact prefix. A last line without its newline is torn. */
async function replay(path: string, onCommit: (change: ChangeSet) => void): Promise<number> {
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
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let newline = pending.indexOf(0x0a);
    while (newline !== -1) {
      const change = parseLine(pending.subarray(0, newline).toString('utf8'));
      if (!change) {
        stream.destroy();
        return intactBytes;
      }
      onCommit(change);
      intactBytes += newline + 1;
      pending = pending.subarray(newline + 1);
      newline = pending.indexOf(0x0a);
    }
  }
  return intactBytes;
}

function parseLine(line: string): ChangeSet | undefined {
  const space = line.indexOf(' ');
  if (space !== 8) return undefined;
  const json = line.slice(9);
  if (crc32(json).toString(16).padStart(8, '0') !== line.slice(0, 8)) return undefined;
  try {
    return JSON.parse(json) as ChangeSet;
  } catch {
    return undefined;
  }
}
