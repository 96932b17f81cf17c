/**
 * A malformed row costs only itself: with broken rows spliced at random among good ones, reading
 * accepts exactly the good rows (as they were written, at their lines) and rejects each broken one
 * at its line with its reason, whatever the pieces the bytes arrive in.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openInput } from '../../../src/ingest/input.js';
import { prepareChunk } from '../../../src/ingest/prepare-lines.js';
import { readLineChunks } from '../../../src/ingest/read-chunks.js';
import { type FileFormat, readRows } from '../../../src/ingest/read-rows.js';
import { rulesFrom } from '../../support/engine.js';
import { csvFile, entries, ndjsonFile, type SplicedFile } from '../../support/spliced-rows.js';

function* inPieces(bytes: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Reads the bytes as standard input delivered in pieces of `size` bytes. */
async function read(bytes: Buffer, format: FileFormat, size: number) {
  const input = await openInput('-', { stdin: Readable.from(inPieces(bytes, size)), headBytes: 16 });
  const accepted: { line: number; row: Record<string, unknown> }[] = [];
  const rejected: { line: number; reason: string }[] = [];
  for await (const item of readRows(input, format)) {
    if (item.ok) accepted.push({ line: item.line, row: item.row });
    else rejected.push({ line: item.line, reason: item.reason });
  }
  return { accepted, rejected };
}

function expectExactly(got: Awaited<ReturnType<typeof read>>, file: SplicedFile): void {
  expect(got.accepted).toEqual(file.good);
  expect(got.rejected).toEqual(file.broken);
}

describe('row isolation', () => {
  it('CSV: exactly the good rows are accepted, each broken one rejected at its line', async () => {
    await fc.assert(
      fc.asyncProperty(entries, fc.boolean(), fc.integer({ min: 1, max: 40 }), async (list, quoteAll, size) => {
        const file = csvFile(list, quoteAll);
        expectExactly(await read(file.bytes, 'csv', size), file);
      }),
      { numRuns: 300 },
    );
  });

  it('NDJSON: exactly the good rows are accepted, each broken one rejected at its line', async () => {
    await fc.assert(
      fc.asyncProperty(entries, fc.integer({ min: 1, max: 40 }), async (list, size) => {
        const file = ndjsonFile(list);
        expectExactly(await read(file.bytes, 'ndjson', size), file);
      }),
      { numRuns: 300 },
    );
  });

  it('NDJSON in chunks, as worker threads prepare it: the same rows kept and the same lines rejected', async () => {
    const rules = rulesFrom();
    await fc.assert(
      fc.asyncProperty(entries, fc.integer({ min: 1, max: 200 }), async (list, chunkBytes) => {
        const file = ndjsonFile(list);
        const kept: string[] = [];
        const rejected: { line: number; reason: string }[] = [];
        for await (const chunk of readLineChunks(inPieces(file.bytes, 7), chunkBytes)) {
          const prepared = prepareChunk(rules, 'crm', chunk, '2026-06-01');
          for (const record of prepared.packed) kept.push(record.ref);
          for (const { line, reason } of prepared.rejected) rejected.push({ line, reason });
        }
        expect(kept).toEqual(file.good.map(({ row }) => `crm:${row.customer_id}`));
        expect(rejected).toEqual(file.broken);
      }),
      { numRuns: 200 },
    );
  });

  it('a quoted value may span lines; an unclosed quote costs only the line that opened it', async () => {
    const text =
      'customer_id,first_name,last_name\n' +
      'c1,"two\nlines",Lee\n' +
      'c2,"never closed,Park\n' +
      'c3,Kim,Park\n' +
      'c4,"also, never closed\n' +
      'c5,Ann,"Lee, ""the"" second"\n';
    const got = await read(Buffer.from(text), 'csv', 5);
    expect(got.accepted).toEqual([
      { line: 2, row: { customer_id: 'c1', first_name: 'two\nlines', last_name: 'Lee' } },
      { line: 5, row: { customer_id: 'c3', first_name: 'Kim', last_name: 'Park' } },
      { line: 7, row: { customer_id: 'c5', first_name: 'Ann', last_name: 'Lee, "the" second' } },
    ]);
    expect(got.rejected).toEqual([
      { line: 4, reason: 'CSV_UNCLOSED_QUOTE' },
      { line: 6, reason: 'CSV_UNCLOSED_QUOTE' },
    ]);
  });

  it('reads gzip-compressed files, and names one that is not gzip', async () => {
    const file = csvFile([{ good: true, name: 'Ann', note: 'Lee' }, { broken: 0 }]);
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'idgraph-gz-'));
    try {
      await writeFile(join(dir, 'rows.csv.gz'), gzipSync(file.bytes));
      const input = await openInput(join(dir, 'rows.csv.gz'));
      const items = [];
      for await (const item of readRows(input, 'csv')) items.push(item.ok ? item.row : item.reason);
      expect(items).toEqual([{ customer_id: 'c0', first_name: 'Ann', last_name: 'Lee' }, 'CSV_COLUMN_COUNT']);

      await writeFile(join(dir, 'plain.ndjson.gz'), '{"not":"gzip"}\n');
      await expect(openInput(join(dir, 'plain.ndjson.gz'))).rejects.toThrow(/plain\.ndjson\.gz: not a valid gzip file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
