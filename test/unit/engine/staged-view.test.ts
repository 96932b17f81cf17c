/**
 * The staged view over a store that fetches ahead in its scope rounds (as Neo4j does): the next
 * round's reads come from what was fetched, never a stored version over a staged one, and in the
 * order and shape the store itself would answer; each round tells the store what the view has.
 */
import { describe, expect, it } from 'vitest';
import { HUB_HOLDERS } from '../../../src/core/resolve/shared-values.js';
import { identifierKey, type PreparedRecord } from '../../../src/core/resolve/types.js';
import { stage } from '../../../src/engine/commit/commit-steps.js';
import { StagedView } from '../../../src/engine/commit/staged-view.js';
import { prepareEach } from '../../../src/engine/prepare/prepare-batch.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { FetchAhead, GraphStore } from '../../../src/store/graph-store.js';
import { engineOn, rulesFrom } from '../../support/engine.js';
import { withStoreMethods } from '../../support/store-methods.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();
const rules = rulesFrom();
const ANN = identifierKey('email', 'ann@x.co');

function prepared(rows: Record<string, unknown>[]): PreparedRecord[] {
  const records: PreparedRecord[] = [];
  prepareEach(
    rules,
    'crm',
    rows,
    '2026-06-01',
    (record) => records.push(record),
    () => undefined,
  );
  return records;
}

/**
 * The embedded store, made to fetch ahead in a scope round what the Neo4j store does: each holder's
 * profile and that profile's records, less what the caller says it has. Keeps what each round was
 * told, and counts the reads a view makes apart from scope rounds.
 */
function fetchingAhead(store: GraphStore) {
  const reads = { getRecords: 0, reachRecords: 0 };
  const told: FetchAhead[] = [];
  const ahead = withStoreMethods(store, {
    scopeRound: async (scopeRound, identifiers, blockKeys, fetch) => {
      told.push(fetch);
      const round = await scopeRound(identifiers, blockKeys, fetch);
      const holders = [...round.holding.values()]
        .filter(({ holders }) => holders.length <= fetch.mostHolders)
        .flatMap(({ holders }) => holders)
        .filter((ref) => !fetch.haveProfiles.has(ref));
      const profiles = await store.reachRecords(holders);
      const members = [...profiles.profiles.values()].flatMap((profile) => profile.records);
      const records = await store.getRecords(members.filter((ref) => !fetch.haveRecords.has(ref)));
      return { ...round, records, reached: await store.reachRecords(members) };
    },
    getRecords: (getRecords, refs) => {
      reads.getRecords++;
      return getRecords(refs);
    },
    reachRecords: (reachRecords, refs) => {
      reads.reachRecords++;
      return reachRecords(refs);
    },
  });
  return { ahead, reads, told };
}

describe('StagedView', () => {
  it('serves the next round from what a scope round fetched ahead, staged versions first, in the store order', async () => {
    const store = await EmbeddedStore.open(await tempDir());
    const engine = engineOn(store, rules);
    await engine.ingest('crm', [
      { customer_id: 'c1', email: 'ann@x.co', first_name: 'Ann' },
      { customer_id: 'c2', email: 'ann@x.co', phone: '07911 123456' },
      { customer_id: 'c3', email: 'bob@x.co' },
    ]);
    const { ahead, reads, told } = fetchingAhead(store);
    // c1 changes in this commit: the view must show its new version, not the stored one fetched.
    const [changed] = prepared([{ customer_id: 'c1', email: 'ann@x.co', first_name: 'Anna' }]);
    const view = new StagedView(ahead, stage([changed as PreparedRecord], rules), new Set());

    const { holding } = await view.scopeRound([ANN], []);
    expect(holding.get(ANN)?.holders.sort()).toEqual(['crm:c1', 'crm:c2']);
    // A scope does not follow a hub: the store is told where one starts. The staged record's data it has.
    expect(told[0]?.mostHolders).toBe(HUB_HOLDERS);
    expect([...(told[0]?.haveRecords ?? [])]).toEqual(['crm:c1']);
    expect(told[0]?.haveProfiles.size).toBe(0);
    reads.getRecords = 0;
    reads.reachRecords = 0;

    const records = await view.records(['crm:c2', 'crm:c1']);
    expect([...records.keys()]).toEqual(['crm:c2', 'crm:c1']);
    expect(records.get('crm:c1')).toEqual(changed);
    expect(records.get('crm:c2')).toEqual((await store.getRecords(['crm:c2'])).get('crm:c2'));
    const reached = await view.reachRecords(['crm:c2', 'crm:c1']);
    const asStored = await store.reachRecords(['crm:c2', 'crm:c1']);
    expect([...reached.profileOf]).toEqual([...asStored.profileOf]);
    expect([...reached.profiles]).toEqual([...asStored.profiles]);
    expect(reads).toEqual({ getRecords: 0, reachRecords: 0 });

    // The next round tells the store what the view has, so nothing is fetched twice.
    await view.scopeRound([ANN], []);
    expect([...(told[1]?.haveRecords ?? [])].sort()).toEqual(['crm:c1', 'crm:c2']);
    expect([...(told[1]?.haveProfiles ?? [])].sort()).toEqual(['crm:c1', 'crm:c2']);

    // A record nothing fetched is read from the store, with those that were fetched answered alike.
    const mixed = await view.reachRecords(['crm:c3', 'crm:c1']);
    expect(reads.reachRecords).toBe(1);
    const mixedAsStored = await store.reachRecords(['crm:c3', 'crm:c1']);
    expect([...mixed.profileOf]).toEqual([...mixedAsStored.profileOf]);
    expect([...mixed.profiles]).toEqual([...mixedAsStored.profiles]);
    // Once read, a profile is known: asking again reads nothing.
    await view.reachRecords(['crm:c3']);
    expect(reads.reachRecords).toBe(1);
    await store.close();
  });
});
