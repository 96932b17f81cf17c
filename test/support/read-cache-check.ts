/**
 * The read cache against the store it caches, on one engine: a scenario of commits (new records,
 * merges, a split by an update, link, never-link, unmerge, erasure), and after each, lookups of a
 * set of identifiers and the profiles they name (merged-away IDs included) read twice through the
 * cache (so the second round is answered from it) and once straight from the store: the answers must
 * be the same. Used on the embedded store (test/unit) and on Neo4j (test/graph).
 */
import { expect } from 'vitest';
import { identifierKey } from '../../src/core/resolve/types.js';
import type { Engine } from '../../src/engine/engine.js';
import { lookupIdentifiers } from '../../src/queries/lookup.js';
import { profileView } from '../../src/queries/profile.js';
import { QueryError } from '../../src/queries/query-error.js';
import type { GraphReads } from '../../src/store/graph-store.js';
import { CachedReads } from '../../src/store/read-cache/cached-reads.js';
import { CommitCache } from '../../src/store/read-cache/commit-cache.js';
import { CommitWatch } from '../../src/store/read-cache/commit-watch.js';

const crm = (id: string, fields: Record<string, string>) => ({ customer_id: id, country: 'GB', ...fields });

const INPUTS = [
  { type: 'email', value: 'ann@x.co' },
  { type: 'email', value: 'zed@x.co' },
  { type: 'email', value: 'other@x.co' },
  { type: 'phone', value: '+44 20 7946 0777' },
  { type: 'email', value: 'jon.smith@gmail.com' },
  { type: 'email', value: 'nobody@x.co' },
  { type: 'email', value: 'not an email' },
  { type: 'fax', value: '1' },
];

/** Runs the scenario, comparing after each commit; returns the cache's counts at the end. */
export async function cacheAnswersAsStore(engine: Engine, store: GraphReads) {
  const cache = new CommitCache(1000);
  // Only this process writes: its commits move the cache, and a poll every hour is never due.
  const watch = new CommitWatch(store, cache, 3_600_000);
  engine.onCommit((commit) => watch.committed(commit.commit));
  const cached = new CachedReads(store, cache, watch);
  const { rules } = engine.readSide();
  const ids = new Set<string>();

  const answers = async (reads: GraphReads) => {
    const lookups = await lookupIdentifiers(reads, rules, INPUTS);
    for (const result of lookups) for (const id of result.answer?.profiles ?? []) ids.add(id);
    const profiles: Record<string, unknown> = {};
    for (const id of [...ids].sort()) {
      profiles[id] = await profileView(reads, rules, id).catch((error: unknown) => {
        if (error instanceof QueryError) return error.code;
        throw error;
      });
    }
    const held = await reads.profileRecords([...ids].sort());
    return { lookups, profiles, held: Object.fromEntries(held) };
  };
  const compare = async (step: string) => {
    const first = await answers(cached);
    const second = await answers(cached);
    const truth = await answers(store);
    expect(first, step).toEqual(truth);
    expect(second, step).toEqual(truth);
  };

  await compare('empty');
  await engine.ingest('crm', [
    crm('c1', { email: 'ann@x.co', first_name: 'Ann', last_name: 'Lee' }),
    crm('c2', { phone: '020 7946 0777', first_name: 'Ann' }),
    crm('c3', { email: 'zed@x.co' }),
    crm('c6', { email: 'zed@x.co' }),
    crm('c4', { first_name: 'Jon', last_name: 'Smith', email: 'jon.smith@gmail.com' }),
  ]);
  await compare('first records');
  // Ties c1's email to c2's phone: two profiles merge, one ID is merged away.
  await engine.ingest('app', [{ install_id: 'i1', email: 'ann@x.co', phone: '+44 20 7946 0777', first_name: 'Ann' }]);
  await compare('merge');
  // An update that splits c6 off.
  await engine.ingest('crm', [crm('c6', { email: 'other@x.co' })]);
  await compare('split by an update');
  await engine.link('crm:c3', 'crm:c6', { actor: 'user:kim' });
  await compare('link');
  await engine.neverLink('crm:c3', 'crm:c6', { actor: 'user:kim' });
  await compare('never-link');
  const ann = (await lookupIdentifiers(store, rules, [INPUTS[0] as (typeof INPUTS)[number]]))[0]?.answer?.profileId;
  const merge = (await store.eventsOf(ann as string)).find((event) => event.kind === 'merge');
  await engine.unmerge(merge?.id as string, { actor: 'user:kim' });
  await compare('unmerge');
  const zed = (await store.profilesHolding([identifierKey('email', 'zed@x.co')])).get(
    identifierKey('email', 'zed@x.co'),
  );
  await engine.erase([zed?.[0] as string], { actor: 'user:dpo' });
  await compare('erasure');
  return { counts: { ...cache.counts }, commit: cache.commit };
}
