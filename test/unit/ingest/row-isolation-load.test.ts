/**
 * Row isolation through a whole first load, with and without worker threads: with broken rows
 * spliced among good ones, the store ends with exactly the good rows' records and the rejects file
 * lists exactly the broken rows, at their lines.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstLoad } from '../../../src/ingest/first-load.js';
import { openInput } from '../../../src/ingest/input.js';
import { RejectFile } from '../../../src/ingest/reject-file.js';
import { openEngine, storeOf } from '../../support/engine.js';
import { csvFile, entries, ndjsonFile, type SplicedFile } from '../../support/spliced-rows.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

async function loadAndCheck(file: SplicedFile, name: string, workers: number): Promise<void> {
  const dir = await tempDir();
  const path = join(dir, name);
  await writeFile(path, file.bytes);
  const engine = await openEngine(join(dir, 'store'));
  const rejects = new RejectFile(join(dir, 'rejects.ndjson'));
  try {
    const summary = await firstLoad({
      engine,
      sources: [{ source: 'crm', inputs: [await openInput(path)] }],
      rejects,
      workers,
    });
    expect(summary.rejected).toBe(file.broken.length);
    const refs: string[] = [];
    for await (const record of storeOf(engine).records()) refs.push(record.ref);
    expect(refs.sort()).toEqual(file.good.map(({ row }) => `crm:${row.customer_id}`).sort());
  } finally {
    await rejects.close();
    await storeOf(engine).close();
  }
  const listed = file.broken.length === 0 ? '' : await readFile(rejects.path, 'utf8');
  const lines = listed
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { file: string; line: number; source: string; code: string });
  expect(lines.map(({ line, code }) => ({ line, reason: code }))).toEqual(file.broken);
  expect(lines.every((line) => line.file === name && line.source === 'crm')).toBe(true);
}

// Each run loads a store, and with a worker starts a thread (some 2 s): a few runs; the properties
// of reading itself are checked at length in row-isolation.test.ts.
const runs = (workers: number) => ({ numRuns: workers === 0 ? 20 : 3 });

describe('row isolation in a first load', () => {
  for (const workers of [0, 1]) {
    it(`CSV, ${workers} worker(s): exactly the good rows are loaded, the broken ones listed`, async () => {
      await fc.assert(
        fc.asyncProperty(entries, async (list) => loadAndCheck(csvFile(list), 'crm.csv', workers)),
        runs(workers),
      );
    });

    it(`NDJSON, ${workers} worker(s): exactly the good rows are loaded, the broken ones listed`, async () => {
      await fc.assert(
        fc.asyncProperty(entries, async (list) => loadAndCheck(ndjsonFile(list), 'crm.ndjson', workers)),
        runs(workers),
      );
    });
  }
});
