/**
 * The write-ahead log writes a long entry in groups of parts and many buffers per call; whatever
 * the grouping, the line must read back as written, and replaying from an offset `append` gave
 * must start at that entry.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeJoined, type LineCodec, WriteAheadLog } from '../../../src/store/embedded/write-ahead-log.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const partsCodec: LineCodec<string[]> = { encode: (parts) => parts, decode: (line) => line.split('\t') };

async function replayAll(path: string): Promise<string[][]> {
  const entries: string[][] = [];
  const log = await WriteAheadLog.open(path, (entry: string[]) => entries.push(entry), partsCodec);
  await log.close();
  return entries;
}

describe('WriteAheadLog', () => {
  it('reads back long entries of many parts, multi-byte characters included, and replays from an offset', async () => {
    const path = join(await tempDir(), 'wal.ndjson');
    // Parts of varied sizes and characters of one to four bytes, around the grouping's boundaries.
    const small = Array.from({ length: 5000 }, (_, index) => `${index}:é€😀`.repeat(1 + (index % 7)));
    // More parts of a group each than one vectored write takes.
    const large = Array.from({ length: 1030 }, (_, index) => `${'x'.repeat(32 * 1024 - 3)}€${index % 10}`);
    const log = await WriteAheadLog.open(path, () => undefined, partsCodec);
    const offsets = [await log.append(['first']), await log.append(small), await log.append(large)];
    await log.append(['last']);
    await log.close();

    expect(await replayAll(path)).toEqual([['first'], small, large, ['last']]);
    const bytes = await readFile(path);
    for (const offset of offsets.slice(1)) expect(bytes[offset - 1]).toBe(0x0a);

    const reopened = await WriteAheadLog.open(path, () => undefined, partsCodec);
    const fromSecond: string[][] = [];
    await reopened.replayFrom(offsets[1] as number, (entry) => fromSecond.push(entry));
    expect(fromSecond).toEqual([small, large, ['last']]);
    // Appending after a reopen goes on from the intact end.
    const next = await reopened.append(['after']);
    expect(next).toBe(bytes.length);
    await reopened.close();
    expect((await replayAll(path)).at(-1)).toEqual(['after']);
  });

  it('encodes parts joined by a separator in groups that together are the joined text', () => {
    const large = 'é€😀'.repeat(9000);
    const part = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constant(large));
    // A group closes once it holds 32K characters, so it holds less than that plus one part; UTF-8
    // takes at most three bytes per UTF-16 unit.
    const maxGroupBytes = 3 * (32 * 1024 + large.length) + 1;
    fc.assert(
      fc.property(fc.array(part, { maxLength: 30 }), fc.constantFrom('', '\t'), (parts, separator) => {
        const buffers = encodeJoined(parts, separator);
        expect(Buffer.concat(buffers).toString('utf8')).toBe(parts.join(separator));
        for (const buffer of buffers) expect(buffer.length).toBeLessThanOrEqual(maxGroupBytes);
      }),
      { numRuns: 300 },
    );
  });
});
