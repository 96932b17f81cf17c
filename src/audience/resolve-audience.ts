/**
 * Turns an audience's members into people through the graph, in two steps so that an audience of
 * any size is reported and exported without holding its people's values in memory.
 *
 * `resolveAudience` reads the members once and files each under the profile it reaches (by its ID,
 * one of its records, or an identifier it holds; merged profile IDs are followed). What it keeps
 * per person is small: the row count, the records the rows named, the raw values of identifier
 * rows. Raw rows that match nothing in the graph stay people of their own, and rows among them that
 * share a normalized identifier are one person.
 *
 * `audiencePeople` then yields the people a batch of profiles at a time, reading each batch's
 * profiles and records from the store and letting them go once the caller has moved on.
 *
 * Suppression removes everyone who resolves into a suppressing audience: the same profile, or for
 * unmatched rows the same identifier. It needs only the first step of the suppressing audience.
 */
import type { AudienceMember } from '../core/audience/members.js';
import type { AudiencePerson, PersonValue } from '../core/audience/person.js';
import { recordValues, rowValues } from '../core/audience/record-values.js';
import type { RecordNormalizers } from '../core/normalize/rules-normalizers.js';
import { identifierKey, type PreparedRecord, type RecordRef } from '../core/resolve/types.js';
import type { RulesFile } from '../core/rules/schema.js';
import type { GraphStore } from '../store/graph-store.js';

/** Members resolved per round of store lookups. */
const MEMBER_BATCH = 5_000;
/**
 * Profiles read per batch of people. Small, so a batch dies young: a batch that outlives a
 * young-generation collection is copied into the old generation, and at a million people that
 * copying cost a fifth of a report (5,000 per batch: 19.5 s, 1,000: 15.6 s).
 */
const PEOPLE_BATCH = 1_000;

export interface ResolveContext {
  readonly store: GraphStore;
  readonly rules: RulesFile;
  readonly normalizers: RecordNormalizers;
}

/** What an audience's rows said about one profile. */
interface ProfileMembers {
  rows: number;
  /** A member named the whole profile, so there is no narrower "before" view. */
  wholeProfile: boolean;
  /** Records the rows named, read again when the person is built. */
  records?: RecordRef[];
  /** Raw values of identifier rows that reached the profile. */
  values?: PersonValue[];
}

export interface ResolvedAudience {
  /** Profile ID -> what the audience's rows said about it. */
  readonly profiles: Map<string, ProfileMembers>;
  /** People made of raw rows that match no profile, with the identifier keys they carry. */
  readonly unresolved: readonly UnresolvedPerson[];
  /** Raw-identifier rows that match no profile; they are still people, known by the row alone. */
  readonly rowsUnresolved: number;
  /** Rows naming a record or profile ID the graph does not hold; they are left out. */
  readonly rowsNotFound: number;
}

interface UnresolvedPerson {
  readonly person: AudiencePerson;
  readonly keys: readonly string[];
}

export async function resolveAudience(
  context: ResolveContext,
  members: AsyncIterable<AudienceMember>,
): Promise<ResolvedAudience> {
  const profiles = new Map<string, ProfileMembers>();
  const unresolvedRows: { values: PersonValue[]; keys: string[] }[] = [];
  let notFound = 0;
  let batch: AudienceMember[] = [];
  const flush = async () => {
    notFound += await resolveBatch(context, batch, profiles, unresolvedRows);
    batch = [];
  };
  for await (const member of members) {
    batch.push(member);
    if (batch.length >= MEMBER_BATCH) await flush();
  }
  await flush();
  return {
    profiles,
    unresolved: groupUnresolved(unresolvedRows),
    rowsUnresolved: unresolvedRows.length,
    rowsNotFound: notFound,
  };
}

/** Profile IDs and identifier keys of an audience, for suppressing it from another. */
export interface SuppressionSet {
  readonly profiles: ReadonlySet<string>;
  readonly identifiers: ReadonlySet<string>;
}

export function suppressionSet(resolved: ResolvedAudience): SuppressionSet {
  const identifiers = new Set<string>();
  for (const { keys } of resolved.unresolved) for (const key of keys) identifiers.add(key);
  return { profiles: new Set(resolved.profiles.keys()), identifiers };
}

/** The audience without the people of the suppressing sets, and how many went. */
export function suppress(
  resolved: ResolvedAudience,
  sets: readonly SuppressionSet[],
): { audience: ResolvedAudience; suppressed: number } {
  if (sets.length === 0) return { audience: resolved, suppressed: 0 };
  const profiles = new Map<string, ProfileMembers>();
  for (const [id, members] of resolved.profiles) {
    if (!sets.some((set) => set.profiles.has(id))) profiles.set(id, members);
  }
  const unresolved = resolved.unresolved.filter(
    ({ keys }) => !sets.some((set) => keys.some((key) => set.identifiers.has(key))),
  );
  const suppressed = resolved.profiles.size - profiles.size + resolved.unresolved.length - unresolved.length;
  return { audience: { ...resolved, profiles, unresolved }, suppressed };
}

/** How many people the audience comes to. */
export const peopleCount = (resolved: ResolvedAudience): number => resolved.profiles.size + resolved.unresolved.length;

/**
 * The audience's people, read from the store a batch of profiles at a time and handed over a batch
 * at a time (a yield per person would cost more than most people take to evaluate).
 */
export async function* audiencePeople(
  context: ResolveContext,
  resolved: ResolvedAudience,
  batchSize = PEOPLE_BATCH,
): AsyncGenerator<AudiencePerson[]> {
  let batch: string[] = [];
  for (const id of resolved.profiles.keys()) {
    batch.push(id);
    if (batch.length < batchSize) continue;
    yield await profilePeople(context, resolved.profiles, batch);
    batch = [];
  }
  if (batch.length > 0) yield await profilePeople(context, resolved.profiles, batch);
  if (resolved.unresolved.length > 0) yield resolved.unresolved.map(({ person }) => person);
}

async function resolveBatch(
  context: ResolveContext,
  members: readonly AudienceMember[],
  profiles: Map<string, ProfileMembers>,
  unresolved: { values: PersonValue[]; keys: string[] }[],
): Promise<number> {
  let notFound = 0;
  const { store } = context;
  const refs = members.flatMap((member) => (member.kind === 'record' ? [member.ref] : []));
  const rows = members.flatMap((member) => {
    if (member.kind !== 'identifiers') return [];
    const values = rowValues(member.values, context.normalizers);
    return [{ values, keys: identifierKeys(context, values) }];
  });
  const keys = [...new Set(rows.flatMap((row) => row.keys))];
  const holders = keys.length > 0 ? await store.holdersOf(keys) : new Map<string, RecordRef[]>();
  // A shared value (a household phone) is held by several people: it says nothing about which one.
  const shared = keys.length > 0 ? await store.sharedIdentifiers(keys) : new Set<string>();
  const firstHolder = (rowKeys: readonly string[]) =>
    rowKeys.map((key) => (shared.has(key) ? undefined : holders.get(key)?.[0])).find(Boolean);
  const holderRefs = rows.map((row) => firstHolder(row.keys)).filter((ref): ref is RecordRef => ref !== undefined);
  const profileOf = await store.profileIdsOf([...new Set([...refs, ...holderRefs])]);

  const entry = (profileId: string): ProfileMembers => {
    let found = profiles.get(profileId);
    if (!found) {
      found = { rows: 0, wholeProfile: false };
      profiles.set(profileId, found);
    }
    found.rows++;
    return found;
  };
  for (const member of members) {
    if (member.kind === 'profile') {
      const found = profiles.has(member.profileId)
        ? member.profileId
        : (await store.findProfile(member.profileId))?.profile.id;
      if (found) entry(found).wholeProfile = true;
      else notFound++;
      continue;
    }
    if (member.kind === 'record') {
      const profileId = profileOf.get(member.ref);
      if (profileId) {
        const found = entry(profileId);
        found.records = found.records ?? [];
        found.records.push(member.ref);
      } else notFound++;
    }
  }
  for (const row of rows) {
    const holder = firstHolder(row.keys);
    const profileId = holder ? profileOf.get(holder) : undefined;
    if (!profileId) {
      unresolved.push(row);
      continue;
    }
    const found = entry(profileId);
    found.values = found.values ?? [];
    found.values.push(...row.values);
  }
  return notFound;
}

async function profilePeople(
  context: ResolveContext,
  members: ReadonlyMap<string, ProfileMembers>,
  ids: readonly string[],
): Promise<AudiencePerson[]> {
  const { store } = context;
  const profiles = await store.getProfiles(ids);
  const records = await store.getRecords(ids.flatMap((id) => profiles.get(id)?.records ?? []));
  const valuesOf = (record: PreparedRecord) => recordValues(record, context.rules, context.normalizers);

  const people: AudiencePerson[] = [];
  for (const id of ids) {
    const profile = profiles.get(id);
    const entry = members.get(id) as ProfileMembers;
    if (!profile) continue;
    const named = entry.wholeProfile || !entry.records ? undefined : new Set(entry.records);
    const after: PersonValue[] = [];
    const before: PersonValue[] = [];
    let newestTs = 0;
    for (const ref of profile.records) {
      const record = records.get(ref);
      if (!record) continue;
      // The same value objects in both views: a report evaluates a value once for both.
      for (const value of valuesOf(record)) {
        after.push(value);
        if (named?.has(ref)) before.push(value);
      }
      if (record.ts > newestTs) newestTs = record.ts;
    }
    if (named) {
      // A named record that left the profile since the rows were resolved (an ingest in between)
      // is read on its own: the "before" view is what the rows named, wherever it is now.
      const strays = (entry.records as RecordRef[]).filter((ref) => !records.has(ref));
      if (strays.length > 0) {
        for (const record of (await store.getRecords(strays)).values()) before.push(...valuesOf(record));
      }
    }
    if (entry.values) before.push(...entry.values);
    people.push({
      profileId: id,
      rows: entry.rows,
      records: profile.records,
      before: entry.wholeProfile ? after : before,
      after,
      newestTs,
    });
  }
  return people;
}

/** Unmatched rows sharing any normalized identifier are one person (union-find over the rows). */
function groupUnresolved(rows: readonly { values: PersonValue[]; keys: string[] }[]): UnresolvedPerson[] {
  const parent = rows.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root] as number;
    parent[index] = root;
    return root;
  };
  const owner = new Map<string, number>();
  rows.forEach((row, index) => {
    for (const key of row.keys) {
      const other = owner.get(key);
      if (other === undefined) owner.set(key, index);
      else parent[find(index)] = find(other);
    }
  });
  const groups = new Map<number, { rows: number; values: PersonValue[]; keys: Set<string> }>();
  rows.forEach((row, index) => {
    const root = find(index);
    const group = groups.get(root) ?? { rows: 0, values: [], keys: new Set<string>() };
    group.rows++;
    group.values.push(...row.values);
    for (const key of row.keys) group.keys.add(key);
    groups.set(root, group);
  });
  return [...groups.values()].map((group) => ({
    person: { rows: group.rows, records: [], before: group.values, after: group.values, newestTs: 0 },
    keys: [...group.keys],
  }));
}

export function identifierKeys(context: ResolveContext, values: readonly PersonValue[]): string[] {
  const keys: string[] = [];
  for (const value of values) {
    if (!(value.target in context.rules.identifiers)) continue;
    const result = context.normalizers.normalize(
      value.target,
      value.raw,
      value.country ? { country: value.country } : {},
    );
    if (result.ok) keys.push(identifierKey(value.target, result.key));
  }
  return keys;
}
