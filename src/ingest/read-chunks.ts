/**
 * An NDJSON file as chunks of whole lines, raw bytes: what a first load hands its worker threads
 * (ingest/prepare-lines.ts splits, decodes and parses them there). The reading thread then does no
 * more per line than count it, so it keeps up with the workers instead of competing with them for
 * the cores; a chunk of bytes also costs less to pass between threads than the strings it holds.
 */
import { open } from 'node:fs/promises';

export interface LineChunk {
  /** Whole lines, the last one ending in its line break (unless it is the end of the file). */
  readonly bytes: Uint8Array;
  /** The number of the chunk's first line in the file (1-based). */
  readonly firstLine: number;
}

const LF = 0x0a;
const CR = 0x0d;

export async function* readLineChunks(path: string, chunkBytes: number): AsyncGenerator<LineChunk> {
  // Opened first, so a missing or unreadable file is an error the caller catches.
  const handle = await open(path, 'r');
  try {
    let carried = new Uint8Array(0);
    let firstLine = 1;
    for (;;) {
      // Each chunk has a buffer of its own: passed to a thread, it is copied whole.
      const buffer = new Uint8Array(carried.length + chunkBytes);
      buffer.set(carried);
      const { bytesRead } = await handle.read(buffer, carried.length, chunkBytes, null);
      const filled = carried.length + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) yield { bytes: buffer.subarray(0, filled), firstLine };
        return;
      }
      const cut = buffer.lastIndexOf(LF, filled - 1) + 1;
      if (cut === 0) {
        // No line ends in what is read so far: read on (a line longer than a chunk).
        carried = buffer.subarray(0, filled);
        continue;
      }
      const bytes = buffer.subarray(0, cut);
      yield { bytes, firstLine };
      firstLine += countLineBreaks(bytes);
      carried = buffer.slice(cut, filled);
    }
  } finally {
    await handle.close();
  }
}

/** Line breaks as readline counts them: `\n`, `\r\n` and a lone `\r` are one each. */
export function countLineBreaks(bytes: Uint8Array): number {
  let count = 0;
  if (bytes.indexOf(CR) === -1) {
    for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) count++;
    return count;
  }
  for (let at = 0; at < bytes.length; at++) {
    const byte = bytes[at];
    if (byte === LF) count++;
    else if (byte === CR) {
      count++;
      if (bytes[at + 1] === LF) at++;
    }
  }
  return count;
}
