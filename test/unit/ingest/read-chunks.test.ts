/**
 * A first load reads NDJSON as raw chunks split in its workers; the rows and line numbers must be
 * the ones readline gives for the same file, whatever the chunk size and however lines end.
 */
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteLines } from '../../../src/ingest/byte-lines.js';
import { chunkLines } from '../../../src/ingest/prepare-lines.js';
import { countLineBreaks, readLineChunks } from '../../../src/ingest/read-chunks.js';

/** The bytes handed out in pieces of a given size, as a stream delivers them. */
async function* inPieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** The non-blank lines readline gives for the text, numbered, a leading byte-order mark dropped. */
async function readlineLines(text: string): Promise<{ line: number; text: string }[]> {
  const lines = [];
  let line = 0;
  for await (const read of createInterface({ input: Readable.from([text]), crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    const unmarked = line === 1 ? read.replace(/^\uFEFF/, '') : read;
    if (unmarked.trim() !== '') lines.push({ line, text: unmarked });
  }
  return lines;
}

/** Pieces of text: multi-byte characters, every kind of line break, blanks, a byte-order mark. */
const piece = fc.constantFrom('a', '{"k":1}', 'é', '€', '😀', ' ', '\t', '\n', '\r', '\r\n', '\n\n', '\uFEFF');

describe('reading NDJSON in chunks of lines', () => {
  it('gives the lines and line numbers readline gives, for any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 7 }),
        async (pieces, size, pieceSize) => {
          const text = pieces.join('');
          const bytes = Buffer.from(text);
          const expected = await readlineLines(text);

          const read = [];
          for await (const { line, bytes: lineBytes } of byteLines(inPieces(bytes, pieceSize))) {
            const lineText = lineBytes.toString('utf8');
            if (lineText.trim() !== '') read.push({ line, text: lineText });
          }
          expect(read).toEqual(expected);

          const chunks = [];
          for await (const chunk of readLineChunks(inPieces(bytes, pieceSize), size)) chunks.push(chunk);
          expect(Buffer.concat(chunks.map((chunk) => chunk.bytes))).toEqual(bytes);
          for (const chunk of chunks.slice(0, -1)) expect(chunk.bytes.at(-1)).toBe(0x0a);
          const got = chunks.flatMap((chunk) => {
            const { texts, lines } = chunkLines(chunk);
            return texts.map((line, index) => ({ line: lines[index] as number, text: line }));
          });
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts line breaks as readline does', () => {
    const count = (text: string) => countLineBreaks(new Uint8Array(Buffer.from(text)));
    expect(count('a\nb\r\nc\rd')).toBe(3);
    expect(count('\r\r\n\n')).toBe(3);
    expect(count('no break')).toBe(0);
  });
});
