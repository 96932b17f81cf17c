/**
 * The Neo4j store against a real server: the same operations on the embedded store and on Neo4j
 * give the same partition, profile IDs, history, redirects and audience reports; a stale or racing
 * commit is refused; an unreachable server is a clear StoreError; state survives a reopen.
 */

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AudienceService } from '../../src/audience/audience-service.js';
import { erasePeople } from '../../src/audience/erase-people.js';
import { readEnv } from '../../src/config/env.js';
import type { AudienceDefinition } from '../../src/core/audience/definitions.js';
import type { AudienceMember } from '../../src/core/audience/members.js';
import { DESTINATIONS } from '../../src/core/destinations/catalog.js';
import { DESTINATION_IDS } from '../../src/core/destinations/destination-profile.js';
import { fuzzyRulesOf, recordBlockingKeys } from '../../src/core/resolve/blocking.js';
import { commitOfEvent, type EventCount, EventCounter } from '../../src/core/resolve/event-counts.js';
import type { ProfileEvent } from '../../src/core/resolve/events.js';
import { identifierKey, recordRef } from '../../src/core/resolve/types.js';
import type { Engine } from '../../src/engine/engine.js';
import type { LoadedRules } from '../../src/engine/rules/loaded-rules.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { ChangeSet, DecisionEntry, GraphStore } from '../../src/store/graph-store.js';
import { decisionsFor } from '../../src/store/neo4j/cypher/decisions.js';
import { BATCH } from '../../src/store/neo4j/cypher/statement.js';
import { eventsMentioningErased } from '../../src/store/neo4j/erase-traces.js';
import { migrateNeo4j } from '../../src/store/neo4j/migrations.js';
import { Neo4jStore } from '../../src/store/neo4j/neo4j-store.js';
import { openStore } from '../../src/store/open-store.js';
import { generateRecords } from '../../src/synth/generate.js';
import { audienceStorageBehaviour, definitionOf, MANY, membersOf } from '../support/audience-storage-behaviour.js';
import { cli } from '../support/capture-io.js';
import { changeSet } from '../support/change-set.js';
import { cliInChild, ingestArgs } from '../support/cli-child.js';
import {
  DEFAULT_RULES_TEXT,
  engineOn,
  fixedClock,
  partition,
  profileOf,
  rulesFrom,
  storeOf,
} from '../support/engine.js';
import { type Neo4jServer, startNeo4j } from '../support/neo4j-server.js';
import { cacheAnswersAsStore } from '../support/read-cache-check.js';
import { record } from '../support/records.js';
import { duckdbReader } from '../support/resolved-tables.js';
import { startServe } from '../support/serve-child.js';
import { withStoreMethods } from '../support/store-methods.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** Runs CLI commands one after another, each in a child process; resolves to the first failing exit code, or 0. */
async function ingestInChild(commands: string[][]): Promise<number> {
  for (const args of commands) {
    const run = await cliInChild(args);
    if (run.code !== 0) {
      process.stderr.write(run.err);
      return run.code;
    }
  }
  return 0;
}
let server: Neo4jServer;
let driver: Driver;
const settings = () => ({
  uri: server.uri,
  user: process.env.NEO4J_USER,
  password: process.env.NEO4J_PASSWORD,
  database: process.env.NEO4J_DATABASE ?? 'neo4j',
});
const openNeo4j = () => Neo4jStore.open(settings());

beforeAll(async () => {
  server = await startNeo4j();
  driver = process.env.NEO4J_USER
    ? neo4j.driver(server.uri, neo4j.auth.basic(process.env.NEO4J_USER, process.env.NEO4J_PASSWORD ?? ''))
    : neo4j.driver(server.uri);
}, 300_000);

afterAll(async () => {
  await driver?.close();
  await server?.stop();
}, 60_000);

// Each test starts from an empty graph (constraints stay: the store re-applies them idempotently).
beforeEach(async () => {
  await driver.executeQuery('MATCH (n) DETACH DELETE n', {}, { database: settings().database });
});

const crm = (id: string, fields: Record<string, string>) => ({ customer_id: id, country: 'GB', ...fields });
const jon = { first_name: 'Jon', last_name: 'Smith', postcode: 'SW1A 2AA', dob: '1975-05-06' };
const ANN_EMAIL = identifierKey('email', 'ann@x.co');

/** Every kind of change the engine makes, in several commits; returns what the erasure at the end removed. */
async function scenario(
  engine: Engine,
): Promise<{ profileId: string; refs: string[]; identifiers: string[]; queued: string[][] }> {
  await engine.ingest('crm', [
    crm('c1', { email: 'ann@x.co', first_name: 'Ann', last_name: 'Lee' }),
    crm('c2', { phone: '020 7946 0777', first_name: 'Ann' }),
    crm('c3', { email: 'zed@x.co' }),
    crm('c6', { email: 'zed@x.co' }),
    crm('c4', { ...jon, email: 'jon.smith@gmail.com' }),
  ]);
  // A typo'd twin of c4: only the fuzzy rule joins them.
  await engine.ingest('crm', [crm('c5', { ...jon, last_name: 'Smyth', email: 'jon.smith@gmial.com' })]);
  await engine.ingest('web', [{ session_id: 's1', email: 'ann@x.co', cookie_id: 'GA1.2.77' }]);
  // Ties c1's email to c2's phone and name: two profiles merge.
  await engine.ingest('app', [{ install_id: 'i1', email: 'ann@x.co', phone: '+44 20 7946 0777', first_name: 'Ann' }]);
  // An update that splits c6 off.
  await engine.ingest('crm', [crm('c6', { email: 'other@x.co' })]);
  // A tablet shared by two people: the device ID becomes shared and stops linking.
  const idfa = 'AECE52E7-03EE-455A-B3C4-E57283966239';
  await engine.ingest('app', [
    { install_id: 'i2', country: 'GB', first_name: 'Kim', idfa },
    { install_id: 'i3', country: 'GB', first_name: 'Kim', idfa },
  ]);
  await engine.ingest('app', [{ install_id: 'i4', country: 'GB', first_name: 'Lou', idfa: idfa.toLowerCase() }]);
  // The review queue: two pairs in the fuzzy rule's review band, one decided from the queue, and a
  // near-twin of Ann's record, whose item goes with her in the erasure below.
  await engine.ingest('orders', [
    { order_id: 'o1', country: 'GB', first_name: 'Anne', last_name: 'Lee', postcode: 'N1 9GU' },
    { order_id: 'o2', country: 'GB', first_name: 'Ann', last_name: 'Lee', postcode: 'N1 9GU' },
    { order_id: 'o3', country: 'GB', first_name: 'Robb', last_name: 'Kim', postcode: 'E1 6AN' },
    { order_id: 'o4', country: 'GB', first_name: 'Rob', last_name: 'Kim', postcode: 'E1 6AN' },
  ]);
  await engine.ingest('crm', [crm('c9', { email: 'ann@x.com', first_name: 'Anne' })]);
  const [robb] = await storeOf(engine).reviewItemsOf(['orders:o3']);
  await engine.decideReview(robb?.id as string, 'keep_apart', { actor: 'user:kim' });
  // Manual decisions.
  await engine.neverLink('crm:c4', 'crm:c5', { actor: 'user:kim', note: 'twins' });
  await engine.link('crm:c3', 'crm:c6', { actor: 'user:kim' });
  const survivor = (await profileOf(storeOf(engine), 'crm:c1')) as string;
  const merge = (await storeOf(engine).eventsOf(survivor)).find((event) => event.kind === 'merge');
  await engine.unmerge(merge?.id as string, { actor: 'user:kim' });
  // A rules change (re-blocks every record), then a fuzzy match under the new rules.
  await engine.applyRules(
    rulesFrom(DEFAULT_RULES_TEXT.replace('max_profile_records: 500', 'max_profile_records: 400')),
    'user:kim',
  );
  await engine.ingest('crm', [crm('c7', jon)]);
  // A privacy request: the profile c8 joins is erased, with every trace of its records (only c8 has its phone).
  await engine.ingest('crm', [crm('c8', { email: 'ann@x.co', phone: '07911 000999' })]);
  const ann = (await storeOf(engine).findProfile((await profileOf(storeOf(engine), 'crm:c8')) as string))?.profile;
  const refs = [...(ann?.records ?? [])];
  const identifiers = [...(await storeOf(engine).getRecords(refs)).values()].flatMap((each) =>
    each.identifiers.map((i) => identifierKey(i.type, i.key)),
  );
  const queued = (await storeOf(engine).reviewItemsOf(refs)).map((item) => [item.a, item.b]);
  await engine.erase([ann?.id as string], { actor: 'user:dpo', note: 'DSR-1' });
  return { profileId: ann?.id as string, refs, identifiers, queued };
}

/** Event counts in one order, whichever order a store gives them in. */
function byDayAndKind(counts: readonly EventCount[]): EventCount[] {
  return [...counts].sort((x, y) => (x.day === y.day ? (x.kind < y.kind ? -1 : 1) : x.day < y.day ? -1 : 1));
}

/** Everything the port can say about a store after the scenario, in a comparable form. */
async function snapshot(store: GraphStore) {
  const records = [];
  for await (const each of store.records()) records.push(each);
  const refs = records.map((each) => each.ref);
  const identifiers = [
    ...new Set(records.flatMap((each) => each.identifiers.map((i) => identifierKey(i.type, i.key)))),
  ];
  const live = [];
  for await (const profile of store.profiles()) live.push(profile);
  // Every profile ID ever issued appears in some event of a live profile.
  const ids = new Set<string>();
  for (const profile of live) {
    for (const event of await store.eventsOf(profile.id))
      for (const id of [...event.before, ...event.after]) ids.add(id);
  }
  const everId = [...ids].sort();
  const history: Record<string, unknown> = {};
  const lookups: Record<string, unknown> = {};
  for (const id of everId) {
    history[id] = await store.eventsOf(id);
    lookups[id] = await store.findProfile(id);
  }
  // The batched lookup leads every ID where findProfile does, and leaves out what it cannot find.
  const currentIds = await store.currentProfileIds([...everId, 'p_never_issued']);
  for (const id of everId) {
    expect(currentIds.get(id)).toBe((lookups[id] as { profile: { id: string } } | undefined)?.profile.id);
  }
  expect(currentIds.has('p_never_issued')).toBe(false);
  const firstEvent = (history[everId[0] as string] as { id: string }[])[0]?.id as string;
  const reviewIds = (await store.reviewItems({ offset: 0, limit: 1000 })).items.map((item) => item.id);
  // What an incremental export asks for: the profiles each commit after the first n touched.
  const changedSince: Record<number, string[]> = {};
  for (let commit = 0; commit <= (await store.lastCommit()); commit++) {
    changedSince[commit] = (await store.profilesChangedSince(commit)).sort();
  }
  // Events from a commit on are the log's tail after that commit's events, in the same order.
  const everyEvent = await collect(store.allEvents());
  const beforeLast = (await store.lastCommit()) - 1;
  const ofLastCommit = await collect(store.allEvents(beforeLast));
  expect(ofLastCommit.length).toBeGreaterThan(0);
  expect(ofLastCommit).toEqual(everyEvent.filter((event) => Number(/^e(\d+)-/.exec(event.id)?.[1]) > beforeLast));
  // Counted where they lie, the events are what counting them one by one gives, commit range and all.
  const countedBy = (events: readonly ProfileEvent[]) => {
    const counter = new EventCounter();
    for (const one of events) counter.add(one);
    return byDayAndKind(counter.list());
  };
  const allCounted = byDayAndKind(await store.eventCounts(0, await store.lastCommit()));
  expect(allCounted.length).toBeGreaterThan(1);
  expect(allCounted).toEqual(countedBy(everyEvent));
  const upToBeforeLast = byDayAndKind(await store.eventCounts(0, beforeLast));
  expect(upToBeforeLast).toEqual(countedBy(everyEvent.filter((one) => commitOfEvent(one.id) <= beforeLast)));
  expect(upToBeforeLast).not.toEqual(allCounted);
  // The commit path's combined reads answer as the reads they stand for, in the order asked.
  const holding = await store.identifierHolders([...identifiers, identifierKey('email', 'never-held@x.co')]);
  const holdersOf = await store.holdersOf(identifiers);
  const sharedOf = await store.sharedIdentifiers(identifiers);
  expect([...holding]).toEqual(
    identifiers
      .filter((key) => holdersOf.has(key) || sharedOf.has(key))
      .map((key) => [key, { holders: holdersOf.get(key) ?? [], shared: sharedOf.has(key) }]),
  );
  // A scope round answers as the two reads it stands for, and what it fetches ahead is what the
  // reads of the next round would give.
  const blockKeys = [
    ...new Set(records.flatMap((each) => recordBlockingKeys(each, fuzzyRulesOf(rulesFrom().compiled)))),
  ];
  const nothingYet = { haveRecords: new Set<string>(), haveProfiles: new Set<string>() };
  const round = await store.scopeRound(identifiers, blockKeys, { mostHolders: 2, ...nothingYet });
  expect([...round.holding]).toEqual([...(await store.identifierHolders(identifiers))]);
  expect([...round.members]).toEqual([...(await store.blockMembers(blockKeys))]);
  expect([...round.records]).toEqual([...(await store.getRecords([...round.records.keys()]))]);
  const reachedAhead = await store.reachRecords([...round.reached.profileOf.keys()]);
  expect([...round.reached.profileOf]).toEqual([...reachedAhead.profileOf]);
  expect([...round.reached.profiles]).toEqual([...reachedAhead.profiles]);
  if (store instanceof Neo4jStore) expect(round.reached.profiles.size).toBeGreaterThan(1);
  // Holders of a value held more widely than asked (a hub) are not fetched.
  expect((await store.scopeRound(identifiers, [], { mostHolders: 0, ...nothingYet })).reached.profileOf.size).toBe(0);
  // Nor what the caller has: the same round again, told what the first fetched, fetches nothing.
  const again = await store.scopeRound(identifiers, blockKeys, {
    mostHolders: 2,
    haveRecords: new Set(round.records.keys()),
    haveProfiles: new Set(round.reached.profileOf.keys()),
  });
  expect([...again.holding]).toEqual([...round.holding]);
  expect([...again.members]).toEqual([...round.members]);
  expect(again.records.size + again.reached.profileOf.size).toBe(0);
  const reached = await store.reachRecords([...refs, 'crm:never-ingested']);
  const profileIdsOf = await store.profileIdsOf(refs);
  expect([...reached.profileOf]).toEqual([...profileIdsOf]);
  expect([...reached.profiles]).toEqual([...(await store.getProfiles([...new Set(profileIdsOf.values())]))]);
  return {
    changedSince,
    identifierHolders: [...holding],
    scopeRound: { holding: [...round.holding], members: [...round.members] },
    reachRecords: { profileOf: [...reached.profileOf], profiles: [...reached.profiles] },
    lastCommit: await store.lastCommit(),
    rules: await store.currentRules(),
    partition: await partition(store),
    records,
    profileIds: Object.fromEntries(await store.profileIdsOf(refs)),
    currentIds: Object.fromEntries(currentIds),
    profiles: live,
    encoded: Object.fromEntries(await store.getEncodedRecords([...refs, 'crm:never-ingested'])),
    profileRecords: Object.fromEntries(await store.profileRecords([...everId, 'p_never_issued'])),
    gotProfiles: [...(await store.getProfiles(live.map((p) => p.id))).values()],
    existing: [...(await store.existingProfileIds([...everId, 'p-never-issued']))],
    history,
    allEvents: await collect(store.allEvents()),
    ofLastCommit,
    eventsAfterLast: await collect(store.allEvents(await store.lastCommit())),
    eventCounts: allCounted,
    eventCountsOfLastCommit: byDayAndKind(await store.eventCounts(beforeLast, await store.lastCommit())),
    lookups,
    event: await store.event(firstEvent),
    holders: Object.fromEntries(await store.holdersOf(identifiers)),
    shared: [...(await store.sharedIdentifiers(identifiers))],
    sharedCount: await store.sharedCount(),
    decisions: await store.decisionsFor(refs),
    byEmail: await store.profilesHolding([ANN_EMAIL]),
    // Every value's holders in holding order, those several profiles hold included.
    holding: Object.fromEntries(await store.profilesHolding(identifiers)),
    // The API's one-key reads made all at once, as concurrent requests make them: Neo4j sends them
    // in shared statements, and each caller must still get its own answer.
    holdingAtOnce: await atOnce(identifiers, (key) => store.profilesHolding([key])),
    encodedAtOnce: await atOnce([...refs, 'crm:never-ingested'], (ref) => store.getEncodedRecords([ref])),
    recordsAtOnce: await atOnce([...everId, 'p_never_issued'], (id) => store.profileRecords([id])),
    review: await store.reviewItems({ offset: 0, limit: 1000 }),
    reviewPage: await store.reviewItems({ status: 'open', rule: 'name_postcode_dob', offset: 1, limit: 1 }),
    reviewDecided: await store.reviewItems({ status: 'decided', kind: 'score_band', offset: 0, limit: 10 }),
    reviewOf: await store.reviewItemsOf(refs),
    reviewById: Object.fromEntries(await store.reviewItemsById(['r_missing', ...reviewIds])),
  };
}

/** One read per key, all started together, their answers as one object. */
async function atOnce<V>(keys: readonly string[], read: (key: string) => Promise<Map<string, V>>) {
  const answers = await Promise.all(keys.map((key) => read(key)));
  return Object.fromEntries(answers.flatMap((found) => [...found]));
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** An engine on the embedded store and one on Neo4j, under the same rules and clock, both closed after `use`. */
async function withBothStores(
  rules: LoadedRules,
  use: (embedded: Engine, graph: Engine) => Promise<void>,
): Promise<void> {
  const embedded = engineOn(await EmbeddedStore.open(await tempDir()), rules, fixedClock);
  try {
    const graph = engineOn(await openNeo4j(), rules, fixedClock);
    try {
      await use(embedded, graph);
    } finally {
      await storeOf(graph).close();
    }
  } finally {
    await storeOf(embedded).close();
  }
}

describe('Neo4jStore', () => {
  it('ends in the same state as the embedded store after the same operations', async () => {
    const rules = rulesFrom();
    await withBothStores(rules, async (embedded, graph) => {
      const erased = await scenario(embedded);
      expect(await scenario(graph)).toEqual(erased);
      const expected = {
        ...(await snapshot(storeOf(embedded))),
        erased: await storeOf(embedded).eventsOf(erased.profileId),
      };
      const actual = { ...(await snapshot(storeOf(graph))), erased: await storeOf(graph).eventsOf(erased.profileId) };

      // The scenario did what it says, so the comparison covers merges, splits and redirects.
      expect(expected.partition.find((cluster) => cluster.includes('crm:c7'))?.length).toBe(2);
      expect(expected.partition).not.toContainEqual(['crm:c4', 'crm:c5']);
      expect(expected.partition).toContainEqual(['crm:c3', 'crm:c6']);
      expect(expected.partition).toContainEqual(['app:i2']);
      expect(expected.sharedCount).toBeGreaterThan(0);
      expect(Object.values(expected.holding).some((ids) => ids.length > 1)).toBe(true);
      expect(actual.holdingAtOnce).toEqual(actual.holding);
      expect(expected.decisions.length).toBeGreaterThanOrEqual(2);
      const kinds = new Set(
        Object.values(expected.history).flatMap((events) => (events as { kind: string }[]).map((e) => e.kind)),
      );
      expect([...kinds].sort()).toEqual([
        'decision_recorded',
        'erased',
        'merge',
        'profile_created',
        'records_added',
        'split',
      ]);
      // Open and decided review items; the erased records had items (their near-twin crm:c9's), gone with them.
      const items = expected.review.items.map((item) => [item.a, item.b, item.status]);
      expect(items).toContainEqual(['orders:o1', 'orders:o2', 'open']);
      expect(items).toContainEqual(['orders:o3', 'orders:o4', 'decided']);
      expect(expected.reviewPage.total).toBe(items.filter(([, , status]) => status === 'open').length);
      expect(expected.reviewPage.total).toBeGreaterThan(1);
      expect(expected.reviewDecided.items).toMatchObject([{ decision: { action: 'keep_apart', actor: 'user:kim' } }]);
      expect(Object.keys(expected.reviewById)).toHaveLength(items.length);
      expect(erased.queued.flat()).toContain('crm:c9');
      expect(items.flat().filter((ref) => erased.refs.includes(ref))).toEqual([]);
      expect(erased.refs).toContain('crm:c8');
      expect(erased.refs.length).toBeGreaterThan(1);
      expect(expected.erased.at(-1)).toMatchObject({ kind: 'erased', note: 'DSR-1' });
      expect(expected.records.map((each) => each.ref)).not.toContain('crm:c8');
      const redirected = Object.entries(expected.lookups).filter(
        ([, found]) => (found as { redirectedFrom?: string })?.redirectedFrom,
      );
      expect(redirected.length).toBeGreaterThan(0);

      // From 0 every ID ever issued; later, fewer; after the last commit, none. The rules change
      // touched every profile whose membership it did not change, through its records' new content.
      const changed = expected.changedSince;
      expect(changed[0]).toEqual(expect.arrayContaining([...Object.keys(expected.history), erased.profileId]));
      expect(changed[expected.lastCommit]).toEqual([]);
      expect(changed[expected.lastCommit - 1]).toContain(erased.profileId);
      expect(changed[expected.lastCommit - 1]?.length).toBeLessThan(changed[0]?.length as number);

      expect(actual).toEqual(expected);

      // No node keeps what only the erased records held, and no event mentions them.
      const unheld = erased.identifiers.filter((key) => !(key in expected.holders));
      expect(unheld.length).toBeGreaterThan(0);
      const left = await driver.executeQuery(
        `MATCH (i:Identifier) WHERE i.key IN $unheld RETURN count(i) AS identifiers`,
        { unheld },
        { database: settings().database },
      );
      expect(Number(left.records[0]?.get('identifiers'))).toBe(0);
      const mentions = await driver.executeQuery(
        `MATCH (e:Event) WHERE any(ref IN $quoted WHERE e.data CONTAINS ref) RETURN count(e) AS events`,
        { quoted: erased.refs.map((ref) => JSON.stringify(ref)) },
        { database: settings().database },
      );
      expect(Number(mentions.records[0]?.get('events'))).toBe(0);
      const erasedItems = await driver.executeQuery(
        'MATCH (i:ReviewItem) WHERE i.a IN $refs OR i.b IN $refs RETURN count(i) AS items',
        { refs: erased.refs },
        { database: settings().database },
      );
      expect(Number(erasedItems.records[0]?.get('items'))).toBe(0);
    });
  }, 120_000);

  it('writes an incremental commit over one batch of rows in a transaction of batches, then small ones, as the embedded store does', async () => {
    const rules = rulesFrom();
    await withBothStores(rules, async (embedded, graph) => {
      // Pairs of records share an email: one commit of more records than a statement's batch (the
      // managed transaction), then a small one (the one statement) that moves big0 to big2's pair.
      const rows = Array.from({ length: BATCH + 100 }, (_, n) =>
        crm(`big${n}`, { email: `pair${Math.floor(n / 2)}@x.co` }),
      );
      for (const engine of [embedded, graph]) {
        expect((await engine.ingest('crm', rows)).commit).toBe(1);
        expect((await engine.ingest('crm', [crm('big0', { email: 'pair1@x.co' })])).commit).toBe(2);
      }
      const expected = await partition(storeOf(embedded));
      expect(expected).toHaveLength((BATCH + 100) / 2);
      expect(expected).toContainEqual(['crm:big0', 'crm:big2', 'crm:big3']);
      expect(await partition(storeOf(graph))).toEqual(expected);
      const events = async (engine: Engine) => (await collect(storeOf(engine).allEvents())).map((event) => event.id);
      expect(await events(graph)).toEqual(await events(embedded));
      expect(await storeOf(graph).lastCommit()).toBe(2);
    });
  }, 120_000);

  it("keeps a profile's records in order as records join between those it has and leave, with one link each", async () => {
    const rules = rulesFrom();
    const steps = [
      [
        { customer_id: 'k1', email: 'kim.lo@gmail.com' },
        { customer_id: 'k4', email: 'kim.lo@gmail.com' },
      ],
      // Joins between the two: the link to k4 keeps its record and moves one place on.
      [{ customer_id: 'k2', email: 'kim.lo@gmail.com' }],
      [{ customer_id: 'k3', email: 'kim.lo@gmail.com' }],
      // k1 leaves (another email): the others move one place back.
      [{ customer_id: 'k1', email: 'kai.moss@gmail.com' }],
    ];
    const members = async (engine: Engine) => {
      const store = storeOf(engine);
      const id = (await store.profileIdsOf(['crm:k4'])).get('crm:k4') as string;
      return (await store.getProfiles([id])).get(id)?.records;
    };
    await withBothStores(rules, async (embedded, graph) => {
      const orders: unknown[] = [];
      for (const rows of steps) {
        await embedded.ingest('crm', rows);
        await graph.ingest('crm', rows);
        const order = await members(graph);
        expect(order).toEqual(await members(embedded));
        orders.push(order);
      }
      expect(orders).toEqual([
        ['crm:k1', 'crm:k4'],
        ['crm:k1', 'crm:k2', 'crm:k4'],
        ['crm:k1', 'crm:k2', 'crm:k3', 'crm:k4'],
        ['crm:k2', 'crm:k3', 'crm:k4'],
      ]);
      // One link a record, numbered from 0 in order: no link left behind, none written twice.
      const links = await driver.executeQuery(
        `MATCH (p:Profile)-[h:HAS_RECORD]->(r:Record) WHERE r.ref STARTS WITH 'crm:k'
         RETURN p.id AS profile, r.ref AS ref, h.i AS i ORDER BY profile, i`,
        {},
        { database: settings().database },
      );
      const rows = links.records.map((row) => [row.get('ref'), Number(row.get('i'))]);
      expect(rows).toEqual(
        expect.arrayContaining([
          ['crm:k2', 0],
          ['crm:k3', 1],
          ['crm:k4', 2],
          ['crm:k1', 0],
        ]),
      );
      expect(rows).toHaveLength(4);
    });
  }, 60_000);

  it('exports the resolved tables from Neo4j, then only the profiles a merge changed', async () => {
    const engine = engineOn(await openNeo4j(), rulesFrom(), fixedClock);
    const file = join(await tempDir(), 'warehouse.duckdb');
    const exportOnce = async () => {
      const run = await cli(
        'export',
        'resolved',
        '--store',
        server.uri,
        '--to',
        `duckdb:///${file}`,
        '--prefix',
        'g',
        '--json',
      );
      expect(run.err).toBe('');
      return JSON.parse(run.out);
    };
    try {
      await engine.ingest('crm', [
        crm('c1', { email: 'ann@x.co', first_name: 'Ann' }),
        crm('c2', { phone: '020 7946 0777', first_name: 'Ann' }),
        crm('c3', { email: 'zed@x.co' }),
      ]);
      expect(await exportOnce()).toMatchObject({ run: 1, full: true, profilesWritten: 3, recordsWritten: 3 });
      // Ann's app ties her email to her phone: one profile absorbs the other, Zed's is left alone.
      await engine.ingest('app', [
        { install_id: 'i1', email: 'ann@x.co', phone: '+44 20 7946 0777', first_name: 'Ann' },
      ]);
      expect(await exportOnce()).toMatchObject({
        run: 2,
        full: false,
        profilesWritten: 1,
        redirectsWritten: 1,
        recordsWritten: 3,
      });
      const rows = await duckdbReader(file).query('SELECT source, record_id, profile_id FROM g_resolved');
      const refs = ['crm:c1', 'crm:c2', 'crm:c3', 'app:i1'];
      const profiles = await storeOf(engine).profileIdsOf(refs);
      expect(new Map(rows.map((row) => [`${row.source}:${row.record_id}`, row.profile_id]))).toEqual(profiles);
    } finally {
      await storeOf(engine).close();
    }
  }, 60_000);

  it('bulk-loads into the same state as the embedded bulk path, and goes on incrementally', async () => {
    const rules = rulesFrom();
    const rows = [...generateRecords({ seed: 8, records: 1500 })];
    const load = async (engine: Engine) => {
      const prepared = [];
      for (const source of ['crm', 'web', 'app', 'orders']) {
        const batch = rows.filter((row) => row.source === source).map((row) => row.fields);
        prepared.push(...engine.packRows(source, batch).packed);
      }
      await engine.loadBulk(prepared);
      await engine.ingest('crm', [
        crm('late', { email: rows.find((row) => row.fields.email)?.fields.email as string }),
      ]);
    };
    await withBothStores(rules, async (embedded, graph) => {
      await load(embedded);
      await load(graph);
      const expected = await snapshot(storeOf(embedded));
      expect(expected.review.items.length).toBeGreaterThan(0);
      expect(expected.partition.some((cluster) => cluster.length > 3)).toBe(true);
      expect(expected.partition.some((cluster) => cluster.includes('crm:late') && cluster.length > 1)).toBe(true);
      expect(await snapshot(storeOf(graph))).toEqual(expected);
    });
  }, 120_000);

  it('weighs names by term frequency as the embedded store does, counting again after another writer commits', async () => {
    // The default rules with the fuzzy rule's first names and surnames weighed by frequency.
    const text = DEFAULT_RULES_TEXT.replace(
      '        else_weight: -4\n',
      '        else_weight: -4\n        term_frequency: true\n',
    ).replace('        else_weight: -3\n', '        else_weight: -3\n        term_frequency: true\n');
    const rules = rulesFrom(text);
    const rows = [...generateRecords({ seed: 9, records: 1500 })];
    const rowsOf = (source: string) => rows.filter((row) => row.source === source).map((row) => row.fields);
    // Two writers on one store: each commit of one moves the store on without the other, whose
    // counts must then be taken again from the store's records.
    const run = async (first: Engine, second: Engine) => {
      await first.ingest('crm', rowsOf('crm').slice(0, 150));
      await second.ingest('crm', rowsOf('crm').slice(150));
      await first.ingest('orders', rowsOf('orders'));
      const counts = await first.termFrequencies();
      return ['first_name', 'last_name'].flatMap((field) =>
        rowsOf('crm')
          .slice(0, 50)
          .map((row) => counts.adjustment(field, String(row[field] ?? '').toLowerCase(), 5)),
      );
    };
    const folder = await tempDir();
    const embeddedStore = await EmbeddedStore.open(folder);
    const embedded = engineOn(embeddedStore, rules, fixedClock);
    const graph = engineOn(await openNeo4j(), rules, fixedClock);
    const other = engineOn(await openNeo4j(), rules, fixedClock);
    try {
      const expectedCounts = await run(embedded, engineOn(embeddedStore, rules, fixedClock));
      expect(await run(graph, other)).toEqual(expectedCounts);
      expect(new Set(expectedCounts).size).toBeGreaterThan(5);
      expect(await partition(storeOf(graph))).toEqual(await partition(embeddedStore));
      // The counts the first writer kept are those of a fresh count of the whole store.
      await embeddedStore.close();
      const reopened = await EmbeddedStore.open(folder);
      const fresh = await engineOn(reopened, rules, fixedClock).termFrequencies();
      await reopened.close();
      const sample = rowsOf('crm').slice(0, 50);
      expect(
        ['first_name', 'last_name'].flatMap((field) =>
          sample.map((row) => fresh.adjustment(field, String(row[field] ?? '').toLowerCase(), 5)),
        ),
      ).toEqual(expectedCounts);
    } finally {
      await storeOf(graph).close();
      await storeOf(other).close();
    }
  }, 180_000);

  it('reports on an audience and writes its upload file as the embedded store does', async () => {
    const rules = rulesFrom();
    const rows = [...generateRecords({ seed: 9, records: 800 })];
    await withBothStores(rules, async (embedded, graph) => {
      for (const engine of [embedded, graph]) {
        for (const source of ['crm', 'web', 'app', 'orders']) {
          await engine.ingest(
            source,
            rows.filter((row) => row.source === source).map((row) => row.fields),
          );
        }
      }
      const refs = rows.map((row) => recordRef(row.source, row.recordId));
      const profileIds = [...(await storeOf(embedded).profileIdsOf(refs.slice(0, 30))).values()];
      let line = 0;
      const members: AudienceMember[] = [
        ...refs.slice(0, 500).map((ref): AudienceMember => ({ kind: 'record', line: ++line, ref })),
        ...profileIds.map((profileId): AudienceMember => ({ kind: 'profile', line: ++line, profileId })),
        { kind: 'identifiers', line: ++line, values: { email: 'never.seen@example.org' } },
      ];
      const clock = () => fixedClock().getTime();
      const outcome = async (engine: Engine) => {
        const folder = await tempDir();
        // The store keeps the audience: files beside the embedded store, nodes in Neo4j.
        const service = new AudienceService(storeOf(engine), rules, storeOf(engine), DESTINATIONS, clock, {
          workFolder: folder,
        });
        await service.create('spring', { members, rejected: [] });
        const path = join(folder, 'meta.csv');
        await service.export('spring', 'meta', path);
        return {
          preview: await service.preview('spring'),
          reports: await service.reports('spring', DESTINATION_IDS),
          upload: await readFile(path, 'utf8'),
        };
      };
      const expected = await outcome(embedded);
      expect(expected.preview.people).toBeGreaterThan(100);
      expect(expected.upload.split('\n').length).toBeGreaterThan(100);
      expect(await outcome(graph)).toEqual(expected);
    });
  }, 120_000);

  it('two processes ingesting overlapping data at once end with the partition of a serial run', async () => {
    const dir = await tempDir();
    const data = join(dir, 'demo');
    expect((await cli('synth', '--out', data, '--people', '150', '--seed', '11')).code).toBe(0);
    const ingest = (store: string, source: string) =>
      ingestArgs({
        store,
        source,
        file: join(data, `${source}.ndjson`),
        rejects: join(dir, `rejects-${source}-${Math.random()}.ndjson`),
        batchSize: 15,
      });
    // Process A: crm, then orders. Process B: web, app, then crm again (updates nothing, races A).
    const plans = [
      ['crm', 'orders'],
      ['web', 'app', 'crm'],
    ];
    const runs = await Promise.all(
      plans.map((sources) => ingestInChild(sources.map((source) => ingest(server.uri, source)))),
    );
    expect(runs).toEqual([0, 0]);

    const serial = join(dir, 'serial');
    for (const source of [...(plans[0] as string[]), ...(plans[1] as string[])]) {
      expect((await cli(...ingest(serial, source))).code).toBe(0);
    }
    const clusters = async (store: string) => {
      const rows = (await cli('export', 'records', '--store', store)).out.trim().split('\n').slice(1);
      const byProfile = new Map<string, string[]>();
      for (const row of rows) {
        const [source, id, profile] = row.split(',') as [string, string, string];
        byProfile.set(profile, [...(byProfile.get(profile) ?? []), `${source}:${id}`]);
      }
      return [...byProfile.values()]
        .map((refs) => refs.sort())
        .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
    };
    const expected = await clusters(serial);
    expect(expected.some((cluster) => cluster.length > 2)).toBe(true);
    expect(await clusters(server.uri)).toEqual(expected);
    const duplicates = await driver.executeQuery(
      'MATCH (i:Identifier) WITH i.key AS key, count(*) AS n WHERE n > 1 RETURN count(key) AS keys',
      {},
      { database: settings().database },
    );
    expect(Number(duplicates.records[0]?.get('keys'))).toBe(0);
  }, 240_000);

  it('tells its statement observer of each read by its name and of each commit transaction', async () => {
    const seen: string[] = [];
    const store = await Neo4jStore.open({
      ...settings(),
      onStatement: ({ name, ms }) => {
        expect(ms).toBeGreaterThanOrEqual(0);
        seen.push(name);
      },
    });
    try {
      seen.length = 0;
      const engine = engineOn(store, rulesFrom(), fixedClock);
      await engine.ingest('crm', [crm('o1', { email: 'obs@x.co' })]);
      expect(seen).toContain('lastCommit');
      expect(seen).toContain('scopeRound');
      expect(seen).toContain('issuedProfileIds');
      expect(seen.filter((name) => name === 'transaction:commit')).toHaveLength(1);
      // An update that makes no new profile does not ask which new profile IDs are taken.
      seen.length = 0;
      await engine.ingest('crm', [crm('o1', { email: 'obs@x.co', first_name: 'Obi' })]);
      expect(seen.filter((name) => name === 'transaction:commit')).toHaveLength(1);
      expect(seen).not.toContain('issuedProfileIds');
    } finally {
      await store.close();
    }
  });

  it('finds the decisions on records through indexes, those written before DecisionRef nodes too', async () => {
    const store = await openNeo4j();
    try {
      const AT = '2026-01-02T03:04:05.000Z';
      const entry = (decision: DecisionEntry['decision']): DecisionEntry => ({ decision, actor: 'user:kim', at: AT });
      const link = entry({ id: 'd-link', kind: 'force_link', a: 'crm:c1', b: 'web:s1' });
      const apart = entry({ id: 'd-apart', kind: 'keep_apart', sideA: ['crm:c1'], sideB: ['crm:c2', 'crm:c3'] });
      await store.commit(changeSet({ commit: 1, decisionsAdded: [link, apart] }));
      // A decision as versions before DecisionRef nodes wrote it: its records in a `refs` list.
      const legacy = entry({ id: 'd-legacy', kind: 'force_link', a: 'crm:c3', b: 'app:i1' });
      await driver.executeQuery(
        `CREATE (:Decision {id: $id, kind: 'force_link', actor: 'user:kim', at: $at, refs: $refs, data: $data,
                            commit: 0, n: 0})`,
        { id: 'd-legacy', at: AT, refs: ['crm:c3', 'app:i1'], data: JSON.stringify(legacy) },
        { database: settings().database },
      );
      const ids = async (refs: string[]) => (await store.decisionsFor(refs)).map((found) => found.decision.id);
      // Oldest first, each once however many of its records are asked for.
      expect(await ids(['crm:c1', 'web:s1', 'crm:c3'])).toEqual(['d-legacy', 'd-link', 'd-apart']);
      expect(await ids(['crm:c2'])).toEqual(['d-apart']);
      expect(await ids(['app:i1'])).toEqual(['d-legacy']);
      expect(await ids(['crm:nobody'])).toEqual([]);

      // Planned as index reads only: no statement reads every decision.
      const plan = await driver.executeQuery(
        `EXPLAIN ${decisionsFor(['crm:c1']).cypher}`,
        { refs: ['crm:c1'] },
        {
          database: settings().database,
        },
      );
      const operators: string[] = [];
      const walk = (step: { operatorType: string; children: unknown[] }) => {
        operators.push(step.operatorType);
        for (const child of step.children) walk(child as typeof step);
      };
      walk(plan.summary.plan as unknown as { operatorType: string; children: unknown[] });
      expect(operators.some((name) => name.startsWith('NodeIndexSeek'))).toBe(true);
      expect(operators.filter((name) => /LabelScan|AllNodesScan/.test(name))).toEqual([]);

      // A withdrawn decision takes its DecisionRef nodes with it.
      await store.commit(changeSet({ commit: 2, decisionsRemoved: ['d-apart'] }));
      expect(await ids(['crm:c1', 'crm:c2'])).toEqual(['d-link']);
      const left = await driver.executeQuery(
        'MATCH (x:DecisionRef) RETURN x.ref AS ref ORDER BY ref',
        {},
        {
          database: settings().database,
        },
      );
      expect(left.records.map((row) => row.get('ref'))).toEqual(['crm:c1', 'web:s1']);
    } finally {
      await store.close();
    }
  });

  it("finds an erasure's events through each profile's history exactly as reading every event does", async () => {
    const engine = engineOn(await openNeo4j(), rulesFrom(), fixedClock);
    const store = storeOf(engine);
    try {
      // A history of every kind: a bulk load, records moved between people (splits, merges, additions),
      // then the conformance scenario (shared values, fuzzy matches, decisions, the review queue, an
      // erasure).
      const rows = [...generateRecords({ seed: 11, records: 600 })];
      const packed = ['crm', 'web', 'app', 'orders'].flatMap(
        (source) =>
          engine.packRows(
            source,
            rows.filter((row) => row.source === source).map((row) => row.fields),
          ).packed,
      );
      await engine.loadBulk(packed);
      const crmRows = rows.filter((row) => row.source === 'crm' && row.fields.email);
      for (let round = 0; round < 3; round++) {
        const moved = crmRows.slice(round * 20, round * 20 + 20).map((row, n) => ({
          ...row.fields,
          email: crmRows[(round * 20 + n + 97) % crmRows.length]?.fields.email,
        }));
        await engine.ingest('crm', moved);
      }
      await scenario(engine);

      const profiles = await collect(store.profiles());
      expect(profiles.length).toBeGreaterThan(100);
      const session = driver.session({ database: settings().database });
      let travelled = 0;
      let events = 0;
      try {
        for (const profile of profiles) {
          const refs = [...profile.records];
          const walked = await session.executeRead((tx) => eventsMentioningErased(tx, refs));
          const read = await session.run(
            `MATCH (e:Event) WHERE any(ref IN $quoted WHERE e.data CONTAINS ref)
             RETURN e.id AS id, exists((e)-[:CHANGED]->(:Profile {id: $id})) AS own`,
            { quoted: refs.map((ref) => JSON.stringify(ref)), id: profile.id },
          );
          expect([...walked.keys()].sort(), profile.id).toEqual(read.records.map((row) => row.get('id')).sort());
          events += read.records.length;
          if (read.records.some((row) => row.get('own') === false)) travelled++;
        }
      } finally {
        await session.close();
      }
      // The histories are not trivial: many events, and profiles whose records were named in events of
      // other profiles, which only the walk along MERGED_INTO and the splits reaches.
      expect(events).toBeGreaterThan(profiles.length);
      expect(travelled).toBeGreaterThan(10);
    } finally {
      await store.close();
    }
  }, 300_000);

  it('keeps its state across a close and a reopen, and goes on committing', async () => {
    let store = await openNeo4j();
    await engineOn(store, rulesFrom(), fixedClock).ingest('crm', [
      crm('c1', { email: 'ann@x.co' }),
      crm('c2', { email: 'ann@x.co' }),
    ]);
    const before = { partition: await partition(store), id: await profileOf(store, 'crm:c1') };
    await store.close();

    store = await openNeo4j();
    try {
      expect(await store.lastCommit()).toBe(1);
      expect((await store.currentRules())?.text).toBe(DEFAULT_RULES_TEXT);
      expect({ partition: await partition(store), id: await profileOf(store, 'crm:c1') }).toEqual(before);
      const rules = (await store.currentRules())?.text as string;
      await engineOn(store, rulesFrom(rules), fixedClock).ingest('crm', [crm('c3', { email: 'ann@x.co' })]);
      expect(await partition(store)).toEqual([['crm:c1', 'crm:c2', 'crm:c3']]);
      expect(await store.lastCommit()).toBe(2);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('groups concurrent ingest calls of two writers into few commits, each answered once another connection reads its record', async () => {
    const rules = rulesFrom();
    const rows = [...generateRecords({ seed: 11, records: 120 })];
    const serial = engineOn(await EmbeddedStore.open(await tempDir()), rules, fixedClock);
    for (const row of rows) await serial.ingest(row.source, [row.fields]);

    // Two engines on one graph, as two API processes: their groups race, and the loser of each race
    // (STORE_CONFLICT) runs its whole group again against the new state.
    const writers = [engineOn(await openNeo4j(), rules, fixedClock), engineOn(await openNeo4j(), rules, fixedClock)];
    const reader = await openNeo4j();
    let commits = 0;
    for (const writer of writers) writer.onCommit(() => commits++);
    try {
      const checks: Promise<boolean>[] = [];
      for (const [n, row] of rows.entries()) {
        const ref = recordRef(row.source, row.recordId);
        const call = (writers[n % 2] as Engine).ingest(row.source, [row.fields]);
        checks.push(call.then(async () => (await reader.getRecords([ref])).has(ref)));
        if (n % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await Promise.all(checks)).toEqual(rows.map(() => true));
      expect(commits).toBeGreaterThan(1);
      expect(commits).toBeLessThan(rows.length / 3);
      expect(await partition(reader)).toEqual(await partition(storeOf(serial)));
    } finally {
      await reader.close();
      for (const writer of writers) await storeOf(writer).close();
      await storeOf(serial).close();
    }
  }, 120_000);

  it('keeps the watermarks of incremental sources, one per source, across a reopen, as the embedded store does', async () => {
    const crmState = {
      source: 'crm',
      origin: 'postgresql://db:5432/shop#table:customers',
      column: 'updated_at',
      watermark: '2024-03-04 09:00:00+00',
      at: '2026-01-01T00:00:00.000Z',
    };
    const webState = { ...crmState, source: 'web', column: 'seen_at', watermark: '2024-01-01 00:00:00' };
    const moved = { ...crmState, watermark: '2024-03-05 09:00:00+00', at: '2026-01-02T00:00:00.000Z' };
    const folder = join(await tempDir(), 'store');
    const stores: [string, () => Promise<GraphStore>][] = [
      ['neo4j', openNeo4j],
      ['embedded', () => EmbeddedStore.open(folder)],
    ];
    for (const [kind, open] of stores) {
      let store = await open();
      expect(await store.sourceState('crm')).toBeUndefined();
      await store.rememberSourceState(crmState);
      await store.rememberSourceState(webState);
      await store.rememberSourceState(moved);
      await store.close();
      store = await open();
      try {
        expect({ kind, crm: await store.sourceState('crm'), web: await store.sourceState('web') }).toEqual({
          kind,
          crm: moved,
          web: webState,
        });
      } finally {
        await store.close();
      }
    }
    const nodes = await driver.executeQuery(
      'MATCH (s:SourceState) RETURN count(s) AS n',
      {},
      { database: settings().database },
    );
    expect(Number(nodes.records[0]?.get('n'))).toBe(2);
  }, 60_000);

  it('refuses a stale commit, and lets only one of two racing writers commit', async () => {
    const first = await openNeo4j();
    const second = await openNeo4j();
    try {
      await first.commit(change(1, 'crm:a', 'p1'));
      await expect(second.commit(change(1, 'crm:b', 'p2'))).rejects.toMatchObject({
        name: 'StoreError',
        code: 'STORE_CONFLICT',
      });
      // Both resolved against commit 1 and both claim commit 2.
      const results = await Promise.allSettled([
        first.commit(change(2, 'crm:c', 'p3')),
        second.commit(change(2, 'crm:d', 'p4')),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: 'STORE_CONFLICT' });
      expect(await first.lastCommit()).toBe(2);
      // Nothing of the refused commits was written.
      expect((await partition(first)).flat().filter((ref) => ref === 'crm:b')).toEqual([]);
      expect(await partition(first)).toHaveLength(2);
    } finally {
      await first.close();
      await second.close();
    }
  }, 60_000);

  it('keeps the next commit for the writer holding the turn, whose commit gives it up to the writer waiting', async () => {
    const first = await openNeo4j();
    const second = await openNeo4j();
    try {
      await first.commit(change(1, 'crm:a', 'p1'));
      expect(await second.claimTurn()).toBe(true);
      // first's claim waits while second's stands; first's commits are refused meanwhile.
      const waiting = first.claimTurn();
      await expect(first.commit(change(2, 'crm:b', 'p2'))).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
        message: expect.stringContaining('holds the turn'),
      });
      await second.commit(change(2, 'crm:c', 'p3'));
      expect(await waiting).toBe(true);
      await expect(second.commit(change(3, 'crm:d', 'p4'))).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      await first.commit(change(3, 'crm:e', 'p5'));
      expect(await turnOnMeta()).toEqual({ holder: null, until: null });
      // A turn claimed and not used is given up.
      expect(await second.claimTurn()).toBe(true);
      await second.releaseTurn();
      await first.commit(change(4, 'crm:f', 'p6'));
      expect((await partition(first)).flat().sort()).toEqual(['crm:a', 'crm:c', 'crm:e', 'crm:f']);
    } finally {
      await first.close();
      await second.close();
    }
  }, 60_000);

  it('lets another writer commit once the turn of a writer that died holding it has run out', async () => {
    const dead = await Neo4jStore.open({ ...settings(), turnLeaseMs: 3_000 });
    const live = await openNeo4j();
    try {
      expect(await dead.claimTurn()).toBe(true);
      await dead.close();
      await expect(live.commit(change(1, 'crm:a', 'p1'))).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
        message: expect.stringContaining('holds the turn'),
      });
      // The engine's tries claim the turn, which waits out the dead writer's lease.
      const summary = await engineOn(live, rulesFrom(), fixedClock).ingest('crm', [crm('c1', { email: 'c1@x.co' })]);
      expect(summary.commit).toBe(1);
      expect(await turnOnMeta()).toEqual({ holder: null, until: null });
    } finally {
      await live.close();
    }
  }, 60_000);

  it('lets a writer whose plans are slow commit every write, well within its retries, while another writes flat out', async () => {
    const rules = rulesFrom();
    const fastStore = await openNeo4j();
    const slowStore = await openNeo4j();
    let slowAttempts = 0;
    // B's reads each wait 30 ms more, so its plans take longer than A's whole commit cycle.
    const slow = engineOn(
      withSlowReads(slowStore, 30, () => slowAttempts++),
      rules,
      fixedClock,
    );
    const fast = engineOn(fastStore, rules, fixedClock);
    const written: string[] = [];
    try {
      await fast.ingest('crm', [crm('a0', { email: 'a0@x.co' })]);
      written.push('crm:a0');
      let stop = false;
      const flatOut = (async () => {
        for (let n = 1; !stop; n++) {
          await fast.ingest('crm', [crm(`a${n}`, { email: `a${n}@x.co` })]);
          written.push(`crm:a${n}`);
        }
      })();
      const triesOfB: number[] = [];
      try {
        for (let n = 0; n < 6; n++) {
          const before = slowAttempts;
          await slow.ingest('crm', [crm(`b${n}`, { email: `b${n}@x.co` })]);
          written.push(`crm:b${n}`);
          triesOfB.push(slowAttempts - before);
        }
      } finally {
        stop = true;
        await flatOut;
      }
      // Two lost races, then B holds the turn: its next try commits (a quarter of the 20 it may take).
      expect(triesOfB.filter((tries) => tries > 5)).toEqual([]);
      expect(written.filter((ref) => ref.startsWith('crm:a')).length).toBeGreaterThan(6);
      const found = await fastStore.getRecords(written);
      expect(written.filter((ref) => !found.has(ref))).toEqual([]);
      expect(await fastStore.lastCommit()).toBe(written.length);
    } finally {
      await fastStore.close();
      await slowStore.close();
    }
  }, 120_000);

  it('pages profiles() and records() in ID and reference order past one page', async () => {
    const store = await openNeo4j();
    try {
      const refs = Array.from({ length: 5_001 }, (_, i) => `crm:${String(i).padStart(5, '0')}`);
      await store.commit({
        ...change(1, refs[0] as string, 'p0'),
        upserts: refs.map((ref) => ({ record: record(ref, [`email=${ref}@x.com`]), blockKeys: [] })),
        profiles: refs.map((ref, i) => ({ id: `p${String(i).padStart(5, '0')}`, seq: i, records: [ref], edges: [] })),
      });
      const seen: string[] = [];
      for await (const each of store.records()) seen.push(each.ref);
      expect(seen).toEqual(refs);
      let count = 0;
      let last = '';
      for await (const profile of store.profiles()) {
        expect(profile.id > last).toBe(true);
        last = profile.id;
        count++;
      }
      expect(count).toBe(5_001);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('migrates from the CLI and lists what it applied', async () => {
    const run = await cli('graph', 'migrate', '--store', server.uri);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^001-constraints\.cypher: \d+ statement\(s\) applied$/m);
    const wrong = await cli('graph', 'migrate', '--store', 'not/a/uri');
    expect(wrong.code).toBe(2);
  });

  it('applies its constraints idempotently at every open', async () => {
    await (await openNeo4j()).close();
    await (await openNeo4j()).close();
    const result = await driver.executeQuery(
      'SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names',
      {},
      {
        database: settings().database,
      },
    );
    const names = result.records[0]?.get('names') as string[];
    expect(names).toEqual(
      expect.arrayContaining([
        'idgraph_record_ref',
        'idgraph_identifier_key',
        'idgraph_profile_id',
        'idgraph_meta_id',
        'idgraph_source_state',
        'idgraph_audience_id',
        'idgraph_segment_id',
      ]),
    );
  });

  it('lets several connections migrate a fresh database at once, as processes starting together do', async () => {
    const database = settings().database;
    const names = async (kind: 'CONSTRAINTS' | 'INDEXES') => {
      const result = await driver.executeQuery(
        `SHOW ${kind} YIELD name WHERE name STARTS WITH 'idgraph_' RETURN collect(name) AS names`,
        {},
        { database },
      );
      return ((result.records[0]?.get('names') ?? []) as string[]).sort();
    };
    await migrateNeo4j(settings());
    const applied = { constraints: await names('CONSTRAINTS'), indexes: await names('INDEXES') };
    // Every constraint the migration files create, by name.
    const migrations = new URL('../../graph/migrations/', import.meta.url).pathname;
    const declared: string[] = [];
    for (const file of await readdir(migrations)) {
      const text = await readFile(join(migrations, file), 'utf8');
      for (const match of text.matchAll(/CREATE CONSTRAINT (\w+)/g)) declared.push(match[1] as string);
    }
    expect(applied.constraints).toEqual(declared.sort());
    for (let round = 1; round <= 5; round++) {
      // idgraph's schema only: a server shared with other suites keeps theirs.
      for (const name of await names('CONSTRAINTS')) {
        await driver.executeQuery(`DROP CONSTRAINT \`${name}\``, {}, { database });
      }
      for (const name of await names('INDEXES')) await driver.executeQuery(`DROP INDEX \`${name}\``, {}, { database });
      expect(await names('INDEXES')).toEqual([]);
      const runs = await Promise.allSettled(Array.from({ length: 4 }, () => migrateNeo4j(settings())));
      const failures = runs.flatMap((run) =>
        run.status === 'rejected' ? [`round ${round}: ${run.reason} ${run.reason?.cause?.code ?? ''}`] : [],
      );
      expect(failures).toEqual([]);
      expect({ constraints: await names('CONSTRAINTS'), indexes: await names('INDEXES') }).toEqual(applied);
    }
    // Once migrated, an open reads what is present and asks for none of it again.
    const seen: string[] = [];
    const opened = await Neo4jStore.open({ ...settings(), onStatement: ({ name }) => seen.push(name) });
    await opened.close();
    expect(seen).toContain('schemaNames');
    expect(seen.filter((name) => name.startsWith('transaction:migration'))).toEqual([]);
    // With one index gone, that one (and only that one) is made again.
    await driver.executeQuery('DROP INDEX `idgraph_event_commit`', {}, { database });
    seen.length = 0;
    const mended = await Neo4jStore.open({ ...settings(), onStatement: ({ name }) => seen.push(name) });
    await mended.close();
    expect(seen.filter((name) => name.startsWith('transaction:migration'))).toHaveLength(1);
    expect({ constraints: await names('CONSTRAINTS'), indexes: await names('INDEXES') }).toEqual(applied);
  }, 240_000);

  it('says what to do when the server cannot be reached', async () => {
    const uri = 'bolt://127.0.0.1:9'; // discard port: nothing listens
    await expect(Neo4jStore.open({ uri })).rejects.toMatchObject({
      name: 'StoreError',
      code: 'STORE_UNREACHABLE',
      message: expect.stringContaining('npm run neo4j'),
    });
    await expect(openStore(uri, readEnv({ IDGRAPH_STORE: uri }))).rejects.toMatchObject({
      code: 'STORE_UNREACHABLE',
    });
  });
});

describe('audiences in the graph', () => {
  audienceStorageBehaviour(async () => {
    const store = await openNeo4j();
    return { storage: store, close: () => store.close() };
  });

  const chunkVersions = async () => {
    const { records } = await driver.executeQuery(
      'MATCH (c:AudienceChunk) RETURN c.audience AS audience, c.version AS version, count(c) AS chunks ORDER BY audience',
      {},
      { database: settings().database },
    );
    return records.map((row) => ({
      audience: row.get('audience') as string,
      version: row.get('version') as string,
      chunks: Number(row.get('chunks')),
    }));
  };

  it('keeps members in chunk nodes of one version, and leaves none of an old version or a removed audience', async () => {
    const store = await openNeo4j();
    try {
      await store.putAudience(definitionOf('spring', MANY), membersOf(MANY), { replace: false });
      const [first] = await chunkVersions();
      expect(first).toMatchObject({ audience: 'spring', chunks: 3 });
      await store.putAudience(definitionOf('spring', 10), membersOf(10, 'b'), { replace: true });
      const [second, ...none] = await chunkVersions();
      expect(second).toMatchObject({ audience: 'spring', chunks: 1 });
      expect(second?.version).not.toBe(first?.version);
      expect(none).toEqual([]);
      await store.removeAudience('spring');
      expect(await chunkVersions()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses a reader whose audience was replaced under it, rather than giving it a mix', async () => {
    const store = await openNeo4j();
    try {
      await store.putAudience(definitionOf('spring', 30_000), membersOf(30_000), { replace: false });
      const reader = store.audienceMembers('spring')[Symbol.asyncIterator]();
      expect((await reader.next()).value).toEqual(membersOf(2_000));
      await store.putAudience(definitionOf('spring', 5), membersOf(5, 'b'), { replace: true });
      await expect(
        (async () => {
          for (let next = await reader.next(); !next.done; next = await reader.next());
        })(),
      ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    } finally {
      await store.close();
    }
  });

  it('ends two replaces at once with one of them whole, and no chunks of the other', async () => {
    const [a, b] = [await openNeo4j(), await openNeo4j()];
    try {
      await a.putAudience(definitionOf('spring', 1), membersOf(1), { replace: false });
      await Promise.all([
        a.putAudience(definitionOf('spring', MANY, { name: 'A' }), membersOf(MANY, 'a'), { replace: true }),
        b.putAudience(definitionOf('spring', 3_000, { name: 'B' }), membersOf(3_000, 'b'), { replace: true }),
      ]);
      const winner = (await b.audience('spring')) as AudienceDefinition;
      const members: AudienceMember[] = [];
      for await (const batch of b.audienceMembers('spring')) members.push(...batch);
      expect(members).toEqual(winner.name === 'A' ? membersOf(MANY, 'a') : membersOf(3_000, 'b'));
      expect((await chunkVersions()).map(({ chunks }) => chunks)).toEqual([winner.name === 'A' ? 3 : 2]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('sweeps the chunks a process that died mid-write left, at the next write', async () => {
    const store = await openNeo4j();
    try {
      // As a killed writer leaves them: chunks of a version no audience points at, written an hour ago.
      await driver.executeQuery(
        `CREATE (:AudienceChunk {audience: 'spring', version: 'dead', n: 0, members: ['{}'], at: $at})`,
        { at: neo4j.int(Date.now() - 3_600_000) },
        { database: settings().database },
      );
      await store.putAudience(definitionOf('autumn', 1), membersOf(1), { replace: false });
      expect((await chunkVersions()).map(({ audience }) => audience)).toEqual(['autumn']);
    } finally {
      await store.close();
    }
  });

  it('drops the member rows naming erased people as the embedded store does', async () => {
    const rules = rulesFrom();
    const rows = [...generateRecords({ seed: 5, records: 300 })];
    await withBothStores(rules, async (embedded, graph) => {
      for (const engine of [embedded, graph]) {
        for (const source of ['crm', 'web', 'app', 'orders']) {
          const fields = rows.filter((row) => row.source === source).map((row) => row.fields);
          await engine.ingest(source, fields);
        }
      }
      const refs = rows.map((row) => recordRef(row.source, row.recordId));
      const erased = [...new Set((await storeOf(embedded).profileIdsOf(refs.slice(0, 3))).values())];
      const email = rows.map((row) => row.fields.email).find((value) => typeof value === 'string') as string;
      let line = 0;
      const members: AudienceMember[] = [
        ...refs.slice(0, 150).map((ref): AudienceMember => ({ kind: 'record', line: ++line, ref })),
        ...erased.map((profileId): AudienceMember => ({ kind: 'profile', line: ++line, profileId })),
        { kind: 'identifiers', line: ++line, values: { email } },
      ];
      const outcome = async (engine: Engine) => {
        const service = new AudienceService(storeOf(engine), rules, storeOf(engine), DESTINATIONS, () => 0);
        await service.create('spring', { members, rejected: [] });
        const erasure = await erasePeople(engine, service.audiences, erased, { actor: 'user:test' });
        const kept: number[] = [];
        for await (const member of service.audiences.members('spring')) kept.push(member.line);
        return { audienceRows: erasure.audienceRows, kept, rows: (await service.audiences.require('spring')).rows };
      };
      const expected = await outcome(embedded);
      expect(expected.audienceRows).toBeGreaterThanOrEqual(erased.length + 3);
      expect(expected.rows).toBe(members.length - expected.audienceRows);
      expect(await outcome(graph)).toEqual(expected);
    });
  }, 120_000);
});

describe('two API instances on one Neo4j graph', () => {
  const KEY = 'two-instances-admin-key';
  const call = async (url: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as { version?: string; accepted?: number } };
  };

  it('takes up rules applied through the other instance: writes go on, reads show them', async () => {
    const args = ['--store', server.uri, '--rules', new URL('../../rules/default.yaml', import.meta.url).pathname];
    const [a, b] = await Promise.all([startServe(args, KEY), startServe(args, KEY)]);
    try {
      const ingest = (url: string, id: string) =>
        call(url, 'POST', '/v1/sources/crm/records', { records: [crm(id, { email: `${id}@x.co` })] });
      expect((await ingest(a.url, 'c1')).status).toBe(200);
      expect((await ingest(b.url, 'c2')).status).toBe(200);
      const before = (await call(b.url, 'GET', '/v1/rules')).body.version;

      const stricter = DEFAULT_RULES_TEXT.replace('max_per_profile: 5', 'max_per_profile: 4');
      const applied = await call(a.url, 'POST', '/v1/rules/apply', { text: stricter, actor: 'ops' });
      expect(applied.status).toBe(200);
      const after = (await call(a.url, 'GET', '/v1/rules')).body.version;
      expect(after).not.toBe(before);

      // B never restarted: its next write succeeds under the applied rules, and it reads them.
      const write = await ingest(b.url, 'c3');
      expect(write).toMatchObject({ status: 200, body: { accepted: 1 } });
      expect((await call(b.url, 'GET', '/v1/rules')).body.version).toBe(after);
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
    }
  }, 120_000);

  it("reads another instance's write at once with its consistency token, and without it within the poll interval", async () => {
    const args = ['--store', server.uri, '--rules', new URL('../../rules/default.yaml', import.meta.url).pathname];
    // A looks at the commit counter every 200 ms; B only every 10 minutes, i.e. never in this test.
    const [a, b] = await Promise.all([
      startServe(args, KEY, { IDGRAPH_READ_CACHE_POLL_MS: '200' }),
      startServe(args, KEY, { IDGRAPH_READ_CACHE_POLL_MS: '600000' }),
    ]);
    const lookup = async (url: string, email: string, token?: string) => {
      const response = await fetch(`${url}/v1/lookup`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${KEY}`,
          'content-type': 'application/json',
          ...(token ? { 'idgraph-consistency': token } : {}),
        },
        body: JSON.stringify({ identifiers: [{ type: 'email', value: email }] }),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { results: { profiles: string[] }[] }).results[0]?.profiles;
    };
    const ingest = async (url: string, id: string, fields: Record<string, string>) => {
      const response = await fetch(`${url}/v1/sources/crm/records`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ records: [crm(id, fields)] }),
      });
      expect(response.status).toBe(200);
      const token = response.headers.get('idgraph-consistency') as string;
      const { commit } = (await response.json()) as { commit: number };
      return { token, commit };
    };
    try {
      await ingest(a.url, 'c1', { email: 'ann@x.co' });
      // B answers (and caches) that nobody holds bob's email, and that ann's is c1's profile.
      expect(await lookup(b.url, 'bob@x.co')).toEqual([]);
      const [ann] = (await lookup(b.url, 'ann@x.co')) as string[];

      const written = await ingest(a.url, 'c2', { email: 'bob@x.co' });
      // The token names A's commit and, on Neo4j, its bookmarks.
      expect(written.token).toMatch(new RegExp(`^${written.commit}\\.[A-Za-z0-9_-]+$`));
      // Without the token, B still answers from its cache (it has not looked at the counter since);
      // with it, B waits until it has seen the commit: the write is there.
      expect(await lookup(b.url, 'bob@x.co')).toEqual([]);
      const bob = await lookup(b.url, 'bob@x.co', written.token);
      expect(bob).toHaveLength(1);
      // Having seen the commit, B dropped its stale entries: no token needed any more.
      expect(await lookup(b.url, 'bob@x.co')).toEqual(bob);

      // The other way round: A caches that nobody holds dan's email, B writes a record with it; A's
      // answer changes within its poll interval, with no token.
      expect(await lookup(a.url, 'dan@x.co')).toEqual([]);
      await ingest(b.url, 'c3', { email: 'dan@x.co' });
      await expect.poll(() => lookup(a.url, 'dan@x.co'), { timeout: 10_000, interval: 50 }).toHaveLength(1);
      expect(await lookup(a.url, 'ann@x.co')).toEqual([ann]);

      // A token naming a commit nobody has written yet: on a shared graph another process may bring
      // it, so B waits for it (a one-process store would refuse it at once) and answers with it.
      const next = (await ingest(b.url, 'c4', { email: 'eve@x.co' })).commit + 1;
      const waiting = lookup(b.url, 'fay@x.co', String(next));
      await sleep(300);
      await ingest(a.url, 'c5', { email: 'fay@x.co' });
      expect(await waiting).toHaveLength(1);
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
    }
  }, 120_000);

  it('shares audiences: one uploaded and one built through A are listed and reported through B', async () => {
    const args = ['--store', server.uri, '--rules', new URL('../../rules/default.yaml', import.meta.url).pathname];
    const [a, b] = await Promise.all([startServe(args, KEY), startServe(args, KEY)]);
    const json = async (url: string, method: string, path: string, body?: unknown) => {
      const { status, body: answer } = await call(url, method, path, body);
      return { status, body: answer as Record<string, unknown> & { audiences?: { id: string; rows: number }[] } };
    };
    try {
      const people = ['c1', 'c2', 'c3', 'c4'].map((id) => crm(id, { email: `${id}@x.co`, first_name: 'Ann' }));
      expect((await call(a.url, 'POST', '/v1/sources/crm/records', { records: people })).status).toBe(200);
      const members = [
        { email: 'c1@x.co' },
        { email: 'c2@x.co' },
        { email: 'nobody@x.co' },
        { favourite_colour: 'blue' },
      ];
      const created = await json(a.url, 'POST', '/v1/audiences', { id: 'spring', members });
      expect(created.status).toBe(201);
      const built = await json(a.url, 'PUT', '/v1/segments/gb', {
        conditions: [{ kind: 'attribute', name: 'country', op: 'is', value: 'GB' }],
        actor: 'ann',
      });
      expect(built.status).toBe(200);

      const listed = await json(b.url, 'GET', '/v1/audiences');
      expect(listed.body.audiences?.map(({ id, rows }) => ({ id, rows }))).toEqual([
        { id: 'gb', rows: 4 },
        { id: 'spring', rows: 4 },
      ]);
      const throughB = await json(b.url, 'GET', '/v1/audiences/spring/report?destination=meta');
      expect(throughB.status).toBe(200);
      // The same report through either instance, but for when it was made.
      const made = ({ graph, ...report }: Record<string, unknown>) => ({
        ...report,
        graph: { ...(graph as object), resolvedAt: 'at' },
      });
      const throughA = await json(a.url, 'GET', '/v1/audiences/spring/report?destination=meta');
      expect(made(throughB.body)).toEqual(made(throughA.body));
      expect(throughB.body).toMatchObject({
        audience: { id: 'spring' },
        funnel: { audienceRows: 4, rowsRejected: 1 },
      });
      const segment = await json(b.url, 'GET', '/v1/segments/gb');
      expect(segment.body).toMatchObject({ id: 'gb', audit: [{ actor: 'ann', action: 'created' }] });
      expect((await json(b.url, 'GET', '/v1/audiences/gb/report?destination=google')).status).toBe(200);
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
    }
  }, 120_000);

  it('the read cache answers as the store does, commit after commit, on Neo4j', async () => {
    const store = await openNeo4j();
    try {
      const { counts } = await cacheAnswersAsStore(engineOn(store, rulesFrom()), store);
      expect(counts.hits).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('keeps serving through B while A is killed with SIGKILL mid-writes; every acknowledged write is kept', async () => {
    const args = ['--store', server.uri, '--rules', new URL('../../rules/default.yaml', import.meta.url).pathname];
    const [a, b] = await Promise.all([startServe(args, KEY), startServe(args, KEY)]);
    const acknowledged: string[] = [];
    const refusedByB: string[] = [];
    const write = async (url: string, id: string) => {
      const answer = await call(url, 'POST', '/v1/sources/crm/records', {
        records: [crm(id, { email: `${id}@x.co` })],
      });
      return answer.status === 200;
    };
    try {
      let killed = false;
      const throughA = (async () => {
        // Until the connection is refused: its last request may be cut off with no answer.
        for (let n = 0; ; n++) {
          try {
            if (await write(a.url, `a${n}`)) acknowledged.push(`crm:a${n}`);
            // A writes at a steady pace rather than flat out: this test is about a writer dying, not
            // about two writers racing for the one commit lane (the slow-planner test above is).
            await new Promise((resolve) => setTimeout(resolve, 25));
          } catch {
            if (killed) return;
            throw new Error('A failed before it was killed');
          }
        }
      })();
      // A is killed once both have written a while (on a busy machine A's first answers can take
      // longer than B's first twenty), then B writes forty more.
      const ackedByA = () => acknowledged.filter((ref) => ref.startsWith('crm:a')).length;
      let killedAt: number | undefined;
      for (let n = 0; killedAt === undefined || n < killedAt + 40; n++) {
        if (n > 500) throw new Error(`A acknowledged ${ackedByA()} writes while B wrote 500`);
        if (await write(b.url, `b${n}`)) acknowledged.push(`crm:b${n}`);
        else refusedByB.push(`b${n}`);
        if (killedAt === undefined && n >= 20 && ackedByA() >= 3) {
          killed = true;
          killedAt = n;
          a.child.kill('SIGKILL');
        }
      }
      await throughA;
      expect(refusedByB).toEqual([]);
      expect(acknowledged.filter((ref) => ref.startsWith('crm:a')).length).toBeGreaterThan(0);
      const store = await openNeo4j();
      try {
        const found = await store.getRecords(acknowledged);
        expect(acknowledged.filter((ref) => !found.has(ref))).toEqual([]);
      } finally {
        await store.close();
      }
      // B goes on after A is gone, and reads what A acknowledged.
      expect(await write(b.url, 'after')).toBe(true);
    } finally {
      a.child.kill('SIGKILL');
      b.child.kill('SIGTERM');
    }
  }, 180_000);
});

function change(commit: number, ref: string, profileId: string): ChangeSet {
  return changeSet({
    commit,
    upserts: [{ record: record(ref, [`email=${ref}@x.com`]), blockKeys: [] }],
    profiles: [{ id: profileId, seq: commit, records: [ref], edges: [] }],
  });
}

/** Who holds the turn to commit next on Meta, and until when (both null when no one does). */
async function turnOnMeta(): Promise<{ holder: unknown; until: unknown }> {
  const result = await driver.executeQuery(
    "MATCH (m:Meta {id: 'meta'}) RETURN m.turnHolder AS holder, m.turnUntil AS until",
    {},
    { database: settings().database },
  );
  const row = result.records[0];
  return { holder: row?.get('holder') ?? null, until: row?.get('until') ?? null };
}

/**
 * A real Neo4j store whose scope reads each wait `ms` more (a slower planner, as a busier process
 * or a larger batch would be), telling `onCommit` of every commit it tries.
 */
function withSlowReads(store: GraphStore, ms: number, onCommit: () => void): GraphStore {
  const slowly = async <A extends unknown[], R>(read: (...args: A) => Promise<R>, ...args: A): Promise<R> => {
    await sleep(ms);
    return read(...args);
  };
  return withStoreMethods(store, {
    getRecords: slowly,
    holdersOf: slowly,
    blockMembers: slowly,
    profileIdsOf: slowly,
    getProfiles: slowly,
    sharedIdentifiers: slowly,
    identifierHolders: slowly,
    scopeRound: slowly,
    reachRecords: slowly,
    existingProfileIds: slowly,
    reviewItemsOf: slowly,
    decisionsFor: slowly,
    currentRules: slowly,
    commit: (commit, change) => {
      onCommit();
      return commit(change);
    },
  });
}
