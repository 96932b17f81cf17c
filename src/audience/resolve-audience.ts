/**
 * Turns an audience's members into people through the graph, in two steps so that an audience of
 * any size is reported and exported without holding its people's values in memory.
 *
 * `resolveAudience` reads the members once and notes each under the profile it reaches (by its ID,
 * one of its records, or an identifier it holds; merged profile IDs are followed), in profile
 * groups that stay in memory or, for large audiences, go to files (profile-groups.ts). Raw rows
 * that match nothing in the graph stay people of their own, and rows among them that share a
 * normalized identifier are one person.
 *
 * `audiencePeople` then yields the people a batch of profiles at a time, reading each batch's
 * profiles and records from the store and letting them go once the caller has moved on.
 *
 * Suppression removes everyone who resolves into a suppressing audience: the same profile, or for
 * unmatched rows the same identifier. Both audiences are grouped in as many parts, so a part of
 * one is compared with the same part of the other.
 */
import type { AudienceMember } from '../core/audience/members.js';
import type { AudiencePerson, PersonValue } from '../core/audience/person.js';
import { recordValues, rowValues } from '../core/audience/record-values.js';
import type { RecordNormalizers } from '../core/normalize/rules-normalizers.js';
import { identifierKey, type PreparedRecord, type RecordRef } from '../core/resolve/types.js';
import type { RulesFile } from '../core/rules/schema.js';
import type { GraphStore } from '../store/graph-store.js';
import type { ProfileGroups, ProfileMembers } from './profile-groups.js';

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

export interface ResolvedAudience {
  /** Profile ID -> what the audience's rows said about it, in one or more parts. */
  readonly groups: ProfileGroups;
  /** People made of raw rows that match no profile, with the identifier keys they carry. */
  readonly unresolved: readonly UnresolvedPerson[];
  /** Raw-identifier rows that match no profile; they are still people, known by the row alone. */
  readonly rowsUnresolved: number;
  /** Rows naming a record or profile ID the graph does not hold; they are left out. */
  readonly rowsNotFound: number;
}

export interface UnresolvedPerson {
  readonly person: AudiencePerson;
  readonly keys: readonly string[];
}

export async function resolveAudience(
  context: ResolveContext,
  members: AsyncIterable<AudienceMember>,
  groups: ProfileGroups,
): Promise<ResolvedAudience> {
  const unresolvedRows: { values: PersonValue[]; keys: string[] }[] = [];
  let notFound = 0;
  let batch: AudienceMember[] = [];
  const flush = async () => {
    notFound += await resolveBatch(context, batch, groups, unresolvedRows);
    await groups.flush();
    batch = [];
  };
  try {
    for await (const member of members) {
      batch.push(member);
      if (batch.length >= MEMBER_BATCH) await flush();
    }
    await flush();
  } catch (error) {
    await groups.dispose();
    throw error;
  }
  return {
    groups,
    unresolved: groupUnresolved(unresolvedRows),
    rowsUnresolved: unresolvedRows.length,
    rowsNotFound: notFound,
  };
}

/** The identifier keys of an audience's unmatched people, for suppressing them from another. */
export function unresolvedKeys(resolved: ResolvedAudience): Set<string> {
  const keys = new Set<string>();
  for (const person of resolved.unresolved) for (const key of person.keys) keys.add(key);
  return keys;
}

/**
 * The audience's profiles part by part and then its unmatched people, without those the
 * suppressing audiences hold (grouped in as many parts). `counts.suppressed` grows as parts pass.
 */
export async function* keptGroups(
  resolved: ResolvedAudience,
  suppressors: readonly ResolvedAudience[],
  counts: { suppressed: number },
): AsyncGenerator<Map<string, ProfileMembers> | UnresolvedPerson[]> {
  for (let part = 0; part < resolved.groups.parts; part++) {
    const groups = await resolved.groups.load(part);
    if (suppressors.length === 0) {
      yield groups;
      continue;
    }
    const suppressed = new Set<string>();
    for (const suppressor of suppressors)
      for (const id of (await suppressor.groups.load(part)).keys()) suppressed.add(id);
    const kept = new Map<string, ProfileMembers>();
    for (const [id, members] of groups) {
      if (suppressed.has(id)) counts.suppressed++;
      else kept.set(id, members);
    }
    yield kept;
  }
  const suppressedKeys = suppressors.map(unresolvedKeys);
  const kept = resolved.unresolved.filter(
    ({ keys }) => !suppressedKeys.some((set) => keys.some((key) => set.has(key))),
  );
  counts.suppressed += resolved.unresolved.length - kept.length;
  yield kept;
}

/**
 * The audience's people, read from the store a batch of profiles at a time and handed over a batch
 * at a time (a yield per person would cost more than most people take to evaluate).
 */
export async function* audiencePeople(
  context: ResolveContext,
  groups: AsyncIterable<Map<string, ProfileMembers> | UnresolvedPerson[]>,
  batchSize = PEOPLE_BATCH,
): AsyncGenerator<AudiencePerson[]> {
  for await (const part of groups) {
    if (Array.isArray(part)) {
      if (part.length > 0) yield part.map(({ person }) => person);
      continue;
    }
    let batch: string[] = [];
    for (const id of part.keys()) {
      batch.push(id);
      if (batch.length < batchSize) continue;
      yield await profilePeople(context, part, batch);
      batch = [];
    }
    if (batch.length > 0) yield await profilePeople(context, part, batch);
  }
}

async function resolveBatch(
  context: ResolveContext,
  members: readonly AudienceMember[],
  groups: ProfileGroups,
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
  // A profile ID named by a row may have been merged away: it is followed to where it went.
  const current = new Map<string, string | undefined>();
  for (const member of members) {
    if (member.kind !== 'profile' || current.has(member.profileId)) continue;
    current.set(member.profileId, (await store.findProfile(member.profileId))?.profile.id);
  }

  for (const member of members) {
    if (member.kind === 'profile') {
      const found = current.get(member.profileId);
      if (found) groups.note(found, { kind: 'profile' });
      else notFound++;
    } else if (member.kind === 'record') {
      const profileId = profileOf.get(member.ref);
      if (profileId) groups.note(profileId, { kind: 'record', ref: member.ref });
      else notFound++;
    }
  }
  for (const row of rows) {
    const holder = firstHolder(row.keys);
    const profileId = holder ? profileOf.get(holder) : undefined;
    if (profileId) groups.note(profileId, { kind: 'values', values: row.values });
    else unresolved.push(row);
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
