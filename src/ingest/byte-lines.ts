/**
 * Bytes cut into lines, numbered the way readline numbers them (`\n`, `\r\n` and a lone `\r` each end
 * a line), still undecoded: a line that is not valid UTF-8 is then rejected alone instead of being
 * decoded into replacement characters or spoiling its neighbours.
 */

export interface ByteLine {
  /** 1-based. */
  readonly line: number;
  readonly bytes: Buffer;
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export async function* byteLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<ByteLine> {
  let carried: Buffer | undefined;
  let line = 0;
  for await (const chunk of chunks) {
    const buffer = carried ? Buffer.concat([carried, chunk]) : chunk;
    let start = 0;
    for (let lf = buffer.indexOf(LF); lf !== -1; lf = buffer.indexOf(LF, start)) {
      for (const bytes of splitAtCarriageReturns(buffer.subarray(start, lf))) {
        line++;
        yield { line, bytes: line === 1 ? withoutBom(bytes) : bytes };
      }
      start = lf + 1;
    }
    carried = start < buffer.length ? buffer.subarray(start) : undefined;
  }
  if (carried) {
    for (const bytes of splitAtCarriageReturns(carried)) {
      line++;
      yield { line, bytes: line === 1 ? withoutBom(bytes) : bytes };
    }
  }
}

/**
 * The lines of bytes that end at a line feed (or at the end of the input): a `\r` just before the
 * feed belongs to it; any other `\r` ends a line of its own.
 */
export function splitAtCarriageReturns(segment: Buffer): Buffer[] {
  const end = segment.length > 0 && segment[segment.length - 1] === CR ? segment.length - 1 : segment.length;
  const body = segment.subarray(0, end);
  if (body.indexOf(CR) === -1) return [body];
  const parts: Buffer[] = [];
  let from = 0;
  for (let cr = body.indexOf(CR); cr !== -1; cr = body.indexOf(CR, from)) {
    parts.push(body.subarray(from, cr));
    from = cr + 1;
  }
  parts.push(body.subarray(from));
  return parts;
}

/** Every line of a buffer that holds whole lines (a chunk of read-chunks.ts). */
export function linesOfBuffer(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let lf = bytes.indexOf(LF); lf !== -1; lf = bytes.indexOf(LF, start)) {
    lines.push(...splitAtCarriageReturns(bytes.subarray(start, lf)));
    start = lf + 1;
  }
  if (start < bytes.length) lines.push(...splitAtCarriageReturns(bytes.subarray(start)));
  return lines;
}

export function withoutBom(bytes: Buffer): Buffer {
  return bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
}
