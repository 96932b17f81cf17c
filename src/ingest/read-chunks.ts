/**
 * An NDJSON input as chunks of whole lines, raw bytes: what a first load hands its worker threads
 * (ingest/prepare-lines.ts splits, decodes and parses them there). The reading thread then does no
 * more per line than count it, so it keeps up with the workers instead of competing with them for
 * the cores; a chunk of bytes also costs less to pass between threads than the strings it holds.
 */
export interface LineChunk {
  /** Whole lines, the last one ending in its line break (unless it is the end of the input). */
  readonly bytes: Uint8Array;
  /** The number of the chunk's first line in the input (1-based). */
  readonly firstLine: number;
}

const LF = 0x0a;
const CR = 0x0d;

export async function* readLineChunks(
  input: AsyncIterable<Buffer> | Iterable<Buffer>,
  chunkBytes: number,
): AsyncGenerator<LineChunk> {
  let parts: Buffer[] = [];
  let length = 0;
  let firstLine = 1;
  for await (const piece of input) {
    parts.push(piece);
    length += piece.length;
    if (length < chunkBytes) continue;
    // Cut after the last line feed read; a line longer than a chunk is read on until it ends.
    const last = parts.findLastIndex((part) => part.includes(LF));
    if (last === -1) continue;
    const within = (parts[last] as Buffer).lastIndexOf(LF) + 1;
    // Each chunk has a buffer of its own: passed to a thread, the whole buffer is copied.
    const bytes = Buffer.concat([...parts.slice(0, last), (parts[last] as Buffer).subarray(0, within)]);
    yield { bytes, firstLine };
    firstLine += countLineBreaks(bytes);
    parts = [(parts[last] as Buffer).subarray(within), ...parts.slice(last + 1)];
    length -= bytes.length;
  }
  if (length > 0) yield { bytes: Buffer.concat(parts, length), firstLine };
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
