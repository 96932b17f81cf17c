/**
 * records_without counts, per value, the records lacking a field among all the value's records: an
 * incremental ingest, where the nameless receipts on a landline arrive after the named records (or
 * before), must end in the partition a bulk load of the same records makes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PackedRecord } from '../../../src/codec/packed-record.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { generateRecords } from '../../../src/synth/generate.js';
import { engineOn, partition, rulesFrom, storeOf } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const HOUSEHOLD_SAFE = readFileSync(
  new URL('../../../rules/examples/six-sources-household-safe.yaml', import.meta.url),
  'utf8',
);

describe('records_without on the bulk path and on incremental ingest', () => {
  it('resolves the same partition, and the limit changes it', async () => {
    expect(HOUSEHOLD_SAFE).toContain('records_without: { field: first_name, max_share: 0.34 }');
    const records = [...generateRecords({ seed: 11, people: 500, shape: 'six-sources' })];
    // Till receipts first, then the rest: nameless receipts arrive before the names on their line.
    const sources = ['pos', ...new Set(records.map((record) => record.source).filter((source) => source !== 'pos'))];
    const rowsOf = (source: string) => records.filter((record) => record.source === source).map((r) => r.fields);
    const engineWith = async (text: string) => engineOn(await EmbeddedStore.open(await tempDir()), rulesFrom(text));

    const incremental = await engineWith(HOUSEHOLD_SAFE);
    for (const source of sources) {
      const rows = rowsOf(source);
      for (let start = 0; start < rows.length; start += 40)
        await incremental.ingest(source, rows.slice(start, start + 40));
    }
    const bulk = await engineWith(HOUSEHOLD_SAFE);
    const packed: PackedRecord[] = [];
    for (const source of sources) packed.push(...bulk.packRows(source, rowsOf(source)).packed);
    await bulk.loadBulk(packed, { workers: 1 });
    const limited = await partition(storeOf(bulk));
    expect(limited).toEqual(await partition(storeOf(incremental)));

    // Without the limit (every nameless record may follow the line) some receipt joins a profile.
    const unlimited = await engineWith(HOUSEHOLD_SAFE.replace('max_share: 0.34', 'max_share: 1'));
    const all: PackedRecord[] = [];
    for (const source of sources) all.push(...unlimited.packRows(source, rowsOf(source)).packed);
    await unlimited.loadBulk(all, { workers: 1 });
    expect((await partition(storeOf(unlimited))).length).toBeLessThan(limited.length);
    for (const engine of [incremental, bulk, unlimited]) await storeOf(engine).close();
  }, 120_000);
});
