/** COPY text as PostgreSQL reads it: escapes, nulls, times to the millisecond, values of any length. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CopyWriter } from '../../../src/resolved-tables/copy-spool.js';

async function copyText(
  types: ConstructorParameters<typeof CopyWriter>[1],
  rows: (string | number | boolean | null)[][],
) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = new CopyWriter(out, types);
  await writer.add(rows);
  await writer.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('CopyWriter', () => {
  it('writes tab-separated lines with backslash escapes and \\N for null', async () => {
    const text = await copyText(
      ['text', 'integer', 'boolean', 'text'],
      [
        ['plain', 3, true, null],
        ['tab\there', -1, false, 'line\nbreak\rand\\slash'],
        ['Zoë 😀', 0, true, ''],
      ],
    );
    expect(text).toBe('plain\t3\tt\t\\N\ntab\\there\t-1\tf\tline\\nbreak\\rand\\\\slash\nZoë 😀\t0\tt\t\n');
  });

  it('writes times as UTC to the millisecond, the same as Date would, and none outside years 1 to 9999', async () => {
    const times = [0, 1_705_476_414_247, 1_705_476_414_247, 951_782_400_000, 253_402_300_799_999, -1, 8.64e15];
    const text = await copyText(
      ['timestamp'],
      times.map((ms) => [ms]),
    );
    expect(text.trim().split('\n')).toEqual([
      '1970-01-01 00:00:00.000+00',
      '2024-01-17 07:26:54.247+00',
      '2024-01-17 07:26:54.247+00',
      '2000-02-29 00:00:00.000+00',
      '9999-12-31 23:59:59.999+00',
      '1969-12-31 23:59:59.999+00',
      '\\N',
    ]);
  });

  it('takes values larger than its buffer, and many rows across chunks, in order', async () => {
    const long = 'x'.repeat(3_000_000);
    const many = Array.from({ length: 100_000 }, (_, n) => [`row-${n}`, n]);
    const text = await copyText(['text', 'bigint'], [['long', 1], [long, 2], ...many]);
    const lines = text.split('\n');
    expect(lines[1]).toBe(`${long}\t2`);
    expect(lines[2]).toBe('row-0\t0');
    expect(lines[100_001]).toBe('row-99999\t99999');
    expect(lines).toHaveLength(100_003);
  });
});
