/** The bulk path gives the partition incremental ingest gives, and leaves a store that works on. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PackedRecord } from '../../../src/codec/packed-record.js';
import { fuzzyRulesOf, recordBlockingKeys } from '../../../src/core/resolve/blocking.js';
import type { Engine } from '../../../src/engine/engine.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { generateRecords } from '../../../src/synth/generate.js';
import {
  engineOn,
  fixedClock,
  openEngine,
  partition,
  reviewFindings,
  rulesFrom,
  storeOf,
} from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();
const SOURCES = ['crm', 'web', 'app', 'orders'] as const;

describe('bulk load', () => {
  it('matches incremental ingest record for record', async () => {
    const records = [...generateRecords({ seed: 21, records: 4000 })];
    const bySource = (source: string) => records.filter((r) => r.source === source).map((r) => r.fields);

    const incremental = await openEngine(await tempDir());
    for (const source of SOURCES) {
      const rows = bySource(source);
      for (let i = 0; i < rows.length; i += 700) await incremental.ingest(source, rows.slice(i, i + 700));
    }
    const expected = await partition(storeOf(incremental));
    // The default rules' fuzzy rule has a review band: the queue is not empty, and holds pairs in it.
    const expectedReview = await reviewFindings(storeOf(incremental));
    expect(expectedReview.filter((item) => item.kind === 'score_band').length).toBeGreaterThan(2);

    const folder = await tempDir();
    const bulk = await openEngine(folder);
    const prepared: PackedRecord[] = [];
    for (const source of SOURCES) prepared.push(...bulk.packRows(source, bySource(source)).packed);
    const summary = await bulk.loadBulk(prepared);
    expect(summary.profilesCreated).toBe(expected.length);
    expect(await partition(storeOf(bulk))).toEqual(expected);
    expect(await reviewFindings(storeOf(bulk))).toEqual(expectedReview);
    // The block index, written from the packed records' hashes, finds the fuzzy candidates the
    // incremental store finds.
    const fuzzy = fuzzyRulesOf(rulesFrom().compiled);
    const sample = [...incremental.prepareRows('crm', bySource('crm').slice(0, 300)).prepared.values()];
    const keys = sample.flatMap((record) => recordBlockingKeys(record, fuzzy));
    expect(keys.length).toBeGreaterThan(300);
    // Members in any order: the bulk path writes records in component order.
    const membersOf = async (engine: Engine) =>
      [...(await storeOf(engine).blockMembers(keys))].map(([key, refs]) => [key, [...refs].sort()]);
    expect(await membersOf(bulk)).toEqual(await membersOf(incremental));
    await storeOf(incremental).close();
    // Profiles and their creation events, written from JSON the workers made, read back whole.
    const large = (await partition(storeOf(bulk))).find((members) => members.length > 2) as string[];
    const profileId = (await storeOf(bulk).profileIdsOf([large[0] as string])).get(large[0] as string) as string;
    const profile = (await storeOf(bulk).getProfiles([profileId])).get(profileId);
    expect([...(profile?.records ?? [])].sort()).toEqual(large);
    expect(profile?.edges.length).toBe(large.length - 1);
    const [created] = await storeOf(bulk).eventsOf(profileId);
    expect(created).toMatchObject({ kind: 'profile_created', after: [profileId], records: profile?.records });
    expect(created?.evidence).toEqual(profile?.edges);
    expect(created?.rule).toBe(profile?.edges[0]?.rule);
    await storeOf(bulk).close();

    // Reopened from its log, the store holds the same partition and takes incremental ingest.
    const reopened = engineOn(await EmbeddedStore.open(folder), rulesFrom(), fixedClock);
    expect(await partition(storeOf(reopened))).toEqual(expected);
    expect(await reviewFindings(storeOf(reopened))).toEqual(expectedReview);
    const more = await reopened.ingest('crm', [{ customer_id: 'extra-1', email: 'someone.new@shop.io' }]);
    expect(more.profilesCreated).toBe(1);
    // The identifier index rebuilt from the log finds bulk-loaded records: a known email joins them.
    const known = records.find((r) => r.source === 'crm' && r.fields.email)?.fields;
    const joined = await reopened.ingest('crm', [{ customer_id: 'extra-2', email: known?.email as string }]);
    expect(joined.profilesCreated).toBe(0);
    await storeOf(reopened).close();
  });

  it('matches incremental ingest under guarded rules too', async () => {
    const rules = rulesFrom(
      readFileSync(new URL('../../../rules/examples/household-guards.yaml', import.meta.url), 'utf8'),
    );
    const records = [...generateRecords({ seed: 7, records: 3000 })];
    const bySource = (source: string) => records.filter((r) => r.source === source).map((r) => r.fields);
    const incremental = await openEngine(await tempDir(), rules);
    for (const source of SOURCES) {
      const rows = bySource(source);
      for (let i = 0; i < rows.length; i += 500) await incremental.ingest(source, rows.slice(i, i + 500));
    }
    const expected = await partition(storeOf(incremental));
    const expectedReview = await reviewFindings(storeOf(incremental));
    // Guards refuse merges here: those refusals are review items too.
    expect(expectedReview.filter((item) => item.reason === 'guard_conflict').length).toBeGreaterThan(0);
    await storeOf(incremental).close();
    const bulk = await openEngine(await tempDir(), rules);
    const prepared: PackedRecord[] = [];
    for (const source of SOURCES) prepared.push(...bulk.packRows(source, bySource(source)).packed);
    await bulk.loadBulk(prepared, { workers: 2 });
    expect(await partition(storeOf(bulk))).toEqual(expected);
    expect(await reviewFindings(storeOf(bulk))).toEqual(expectedReview);
    await storeOf(bulk).close();
  });

  it('refuses a store that already has data', async () => {
    const engine = await openEngine(await tempDir());
    await engine.ingest('crm', [{ customer_id: 'c1', email: 'ann.lee@shop.io' }]);
    await expect(engine.loadBulk([])).rejects.toMatchObject({ code: 'STORE_NOT_EMPTY' });
    await storeOf(engine).close();
  });
});
