/**
 * A first load prepares rows in worker threads. The workers must give exactly what the main thread
 * gives: the same packed records in the same order, the same rejected rows and refused values, and
 * so the same profiles, IDs and numbering whatever the number of workers.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareBatch } from '../../../src/engine/prepare/prepare-batch.js';
import { firstLoad } from '../../../src/ingest/first-load.js';
import { openInput } from '../../../src/ingest/input.js';
import { prepareChunk } from '../../../src/ingest/prepare-lines.js';
import { PreparePool } from '../../../src/ingest/prepare-pool.js';
import { RejectFile } from '../../../src/ingest/reject-file.js';
import { generateRecords } from '../../../src/synth/generate.js';
import { writeSyntheticFiles } from '../../../src/synth/write-files.js';
import { openEngine, rulesFrom, storeOf } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();
const SOURCES = ['crm', 'web', 'app', 'orders'];

describe('preparing in worker threads', () => {
  it('gives the batches the main thread gives', async () => {
    const rules = rulesFrom();
    const records = [...generateRecords({ seed: 31, records: 3000 })];
    const pool = PreparePool.start(rules, '2026-06-01', 2);
    try {
      for (const source of SOURCES) {
        const rows: unknown[] = records.filter((record) => record.source === source).map((record) => record.fields);
        // Rows that are not records: no key, not an object.
        rows.push({ email: 'ann.lee@shop.io' }, 'text');
        const inWorker = await pool.prepare(source, rows);
        expect(inWorker).toEqual(prepareBatch(rules, source, rows, '2026-06-01'));
        expect(inWorker.packed.length).toBe(rows.length - 2);
        expect(inWorker.rejected.map((rejection) => rejection.index)).toEqual([rows.length - 2, rows.length - 1]);

        // The same rows as a chunk of an NDJSON file, after a byte-order mark and a blank line,
        // with CRLF line ends and a last line that is not JSON: split and parsed in the worker.
        const text = `\uFEFF\r\n${rows.map((row) => JSON.stringify(row)).join('\r\n')}\r\n{"email": "broken\n`;
        const chunk = { bytes: new Uint8Array(Buffer.from(text)), firstLine: 1 };
        const fromChunk = await pool.prepareChunk(source, chunk);
        expect(fromChunk).toEqual(prepareChunk(rules, source, chunk, '2026-06-01'));
        expect(fromChunk.packed).toEqual(inWorker.packed);
        expect(fromChunk.rows).toBe(rows.length + 1);
        expect(fromChunk.rejected.map(({ line, reason }) => [line, reason])).toEqual([
          [rows.length, 'MISSING_KEY'],
          [rows.length + 1, 'ROW_NOT_OBJECT'],
          [rows.length + 2, 'JSON_SYNTAX'],
        ]);
      }
    } finally {
      await pool.close();
    }
  });

  it('loads the same profiles, summary and rejects with two workers as with none', async () => {
    const data = await tempDir();
    await writeSyntheticFiles(data, { seed: 17, records: 2500 }, 'ndjson');
    await writeSyntheticFiles(data, { seed: 17, records: 2500 }, 'csv');
    await appendFile(join(data, 'web.ndjson'), '{"session_id": "broken"\n{"email": "no.key@shop.io"}\n[1, 2]\n');
    // One source read as CSV: its rows are parsed on the main thread and passed to the workers.
    const fileOf = (source: string) => join(data, source === 'crm' ? 'crm.csv' : `${source}.ndjson`);
    const load = async (workers: number) => {
      const folder = await tempDir();
      const engine = await openEngine(folder);
      const rejects = new RejectFile(join(folder, 'rejects.ndjson'));
      const summary = await firstLoad({
        engine,
        sources: await Promise.all(
          SOURCES.map(async (source) => ({ source, inputs: [await openInput(fileOf(source))] })),
        ),
        rejects,
        workers,
        commitSize: 700,
      });
      await rejects.close();
      const profiles = [];
      for await (const profile of storeOf(engine).profiles()) profiles.push(profile);
      await storeOf(engine).close();
      return { summary, profiles, rejects: await readFile(join(folder, 'rejects.ndjson'), 'utf8') };
    };
    const withWorkers = await load(2);
    const withoutWorkers = await load(0);
    expect(withWorkers.summary.path).toBe('bulk');
    expect(withWorkers.summary.rejected).toBe(3);
    expect(withWorkers.summary.rejectedByReason).toEqual({ JSON_SYNTAX: 1, MISSING_KEY: 1, ROW_NOT_OBJECT: 1 });
    expect(withWorkers.rejects).toContain('"code":"MISSING_KEY"');
    expect(withWorkers.profiles.length).toBeGreaterThan(500);
    expect(withWorkers).toEqual(withoutWorkers);
  });
});
