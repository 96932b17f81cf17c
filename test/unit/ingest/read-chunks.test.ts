/**
 * A first load reads NDJSON as raw chunks split in its workers; the rows and line numbers must be
 * the ones readline gives for the same file, whatever the chunk size and however lines end.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkLines } from '../../../src/ingest/prepare-lines.js';
import { countLineBreaks, readLineChunks } from '../../../src/ingest/read-chunks.js';
import { readNdjsonLines } from '../../../src/ingest/read-rows.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

/** Pieces of text: multi-byte characters, every kind of line break, blanks, a byte-order mark. */
const piece = fc.constantFrom('a', '{"k":1}', 'é', '€', '😀', ' ', '\t', '\n', '\r', '\r\n', '\n\n', '\uFEFF');

describe('reading NDJSON in chunks of lines', () => {
  it('gives the lines and line numbers readline gives, for any chunk size', async () => {
    const dir = await tempDir();
    const path = join(dir, 'rows.ndjson');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), async (pieces, size) => {
        await writeFile(path, pieces.join(''));
        const expected: { line: number; text: string }[] = [];
        for await (const line of readNdjsonLines(path)) expected.push(line);

        const chunks = [];
        for await (const chunk of readLineChunks(path, size)) chunks.push({ ...chunk, bytes: chunk.bytes.slice() });
        expect(Buffer.concat(chunks.map((chunk) => chunk.bytes))).toEqual(await readFile(path));
        for (const chunk of chunks.slice(0, -1)) expect(chunk.bytes.at(-1)).toBe(0x0a);
        const got = chunks.flatMap((chunk) => {
          const { texts, lines } = chunkLines(chunk);
          return texts.map((text, index) => ({ line: lines[index] as number, text }));
        });
        expect(got).toEqual(expected);
      }),
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
