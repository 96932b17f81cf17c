/**
 * The staged view over a store that fetches ahead in its scope rounds (as Neo4j does): the next
 * round's reads come from what was fetched, never a stored version over a staged one, and in the
 * order and shape the store itself would answer.
 */
import { describe, expect, it } from 'vitest';
import { HUB_HOLDERS } from '../../../src/core/resolve/shared-values.js';
import { identifierKey, type PreparedRecord } from '../../../src/core/resolve/types.js';
import { stage } from '../../../src/engine/commit/commit-steps.js';
import { StagedView } from '../../../src/engine/commit/staged-view.js';
import { prepareEach } from '../../../src/engine/prepare/prepare-batch.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { GraphStore } from '../../../src/store/graph-store.js';
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
 * profile and that profile's records. Counts the reads a view makes apart from scope rounds.
 */
function fetchingAhead(store: GraphStore) {
  const reads = { getRecords: 0, reachRecords: 0 };
  const ahead = withStoreMethods(store, {
    scopeRound: async (scopeRound, identifiers, blockKeys, mostHolders) => {
      const round = await scopeRound(identifiers, blockKeys, mostHolders);
      const holders = [...round.holding.values()]
        .filter(({ holders }) => holders.length <= mostHolders)
        .flatMap(({ holders }) => holders);
      const profiles = await store.reachRecords(holders);
      const members = [...profiles.profiles.values()].flatMap((profile) => profile.records);
      return { ...round, records: await store.getRecords(members), reached: await store.reachRecords(members) };
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
  return { ahead, reads };
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
    const { ahead, reads } = fetchingAhead(store);
    // c1 changes in this commit: the view must show its new version, not the stored one fetched.
    const [changed] = prepared([{ customer_id: 'c1', email: 'ann@x.co', first_name: 'Anna' }]);
    const view = new StagedView(ahead, stage([changed as PreparedRecord], rules), new Set());

    const { holding } = await view.scopeRound([ANN], []);
    expect(holding.get(ANN)?.holders.sort()).toEqual(['crm:c1', 'crm:c2']);
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

    // A record nothing fetched is read from the store, with those that were fetched answered alike.
    const mixed = await view.reachRecords(['crm:c3', 'crm:c1']);
    expect(reads.reachRecords).toBe(1);
    const mixedAsStored = await store.reachRecords(['crm:c3', 'crm:c1']);
    expect([...mixed.profileOf]).toEqual([...mixedAsStored.profileOf]);
    expect([...mixed.profiles]).toEqual([...mixedAsStored.profiles]);
    await store.close();
  });

  it('asks the store for the hub limit a scope stops at', async () => {
    const store: GraphStore = await EmbeddedStore.open(await tempDir());
    let asked: number | undefined;
    const view = new StagedView(
      withStoreMethods(store, {
        scopeRound: (scopeRound, identifiers, blockKeys, mostHolders) => {
          asked = mostHolders;
          return scopeRound(identifiers, blockKeys, mostHolders);
        },
      }),
      new Map(),
      new Set(),
    );
    await view.scopeRound([ANN], []);
    expect(asked).toBe(HUB_HOLDERS);
    await store.close();
  });
});
