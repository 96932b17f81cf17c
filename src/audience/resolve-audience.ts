/**
 * Turns an audience's members into people through the graph. Members that reach one profile (by
 * its ID, one of its records, or an identifier it holds) are one person; merged profile IDs are
 * followed. Raw rows that match nothing in the graph stay people of their own, and rows among them
 * that share a normalized identifier are one person. Suppression removes everyone who resolves
 * into a suppressing audience: the same profile, or for unmatched rows the same identifier.
 */
import type { AudienceMember } from '../core/audience/members.js';
import type { AudiencePerson, PersonValue } from '../core/audience/person.js';
import { recordValues, rowValues } from '../core/audience/record-values.js';
import type { RecordNormalizers } from '../core/normalize/rules-normalizers.js';
import { identifierKey, type RecordRef } from '../core/resolve/types.js';
import type { RulesFile } from '../core/rules/schema.js';
import type { GraphStore } from '../store/graph-store.js';

const BATCH = 5_000;

export interface ResolvedAudience {
  readonly people: AudiencePerson[];
  /** Raw-identifier rows that match no profile; they are still people, known by the row alone. */
  readonly rowsUnresolved: number;
  /** Rows naming a record or profile ID the graph does not hold; they are left out. */
  readonly rowsNotFound: number;
}

interface Pending {
  rows: number;
  before: PersonValue[];
  /** A member named the whole profile, so there is no narrower "before" view. */
  wholeProfile: boolean;
  recordRefs: RecordRef[];
}

export interface ResolveContext {
  readonly store: GraphStore;
  readonly rules: RulesFile;
  readonly normalizers: RecordNormalizers;
}

export async function resolveAudience(
  context: ResolveContext,
  members: AsyncIterable<AudienceMember>,
): Promise<ResolvedAudience> {
  const byProfile = new Map<string, Pending>();
  const unresolved: { values: PersonValue[]; keys: string[] }[] = [];
  let notFound = 0;
  let batch: AudienceMember[] = [];
  const flush = async () => {
    notFound += await resolveBatch(context, batch, byProfile, unresolved);
    batch = [];
  };
  for await (const member of members) {
    batch.push(member);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  const people = await profilePeople(context, byProfile);
  for (const group of groupUnresolved(unresolved)) people.push(group);
  return { people, rowsUnresolved: unresolved.length, rowsNotFound: notFound };
}

/** Profile IDs and identifier keys of an audience, for suppressing it from another. */
export interface SuppressionSet {
  readonly profiles: ReadonlySet<string>;
  readonly identifiers: ReadonlySet<string>;
}

export function suppressionSet(context: ResolveContext, resolved: ResolvedAudience): SuppressionSet {
  const profiles = new Set<string>();
  const identifiers = new Set<string>();
  for (const person of resolved.people) {
    if (person.profileId) profiles.add(person.profileId);
    else for (const key of identifierKeys(context, person.after)) identifiers.add(key);
  }
  return { profiles, identifiers };
}

export function isSuppressed(
  context: ResolveContext,
  person: AudiencePerson,
  sets: readonly SuppressionSet[],
): boolean {
  return sets.some((set) =>
    person.profileId
      ? set.profiles.has(person.profileId)
      : identifierKeys(context, person.after).some((key) => set.identifiers.has(key)),
  );
}

async function resolveBatch(
  context: ResolveContext,
  members: readonly AudienceMember[],
  byProfile: Map<string, Pending>,
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
  const holders = await store.holdersOf(keys);
  // A shared value (a household phone) is held by several people: it says nothing about which one.
  const shared = await store.sharedIdentifiers(keys);
  const firstHolder = (rowKeys: readonly string[]) =>
    rowKeys.map((key) => (shared.has(key) ? undefined : holders.get(key)?.[0])).find(Boolean);
  const holderRefs = rows.map((row) => firstHolder(row.keys)).filter((ref): ref is RecordRef => ref !== undefined);
  const profileOf = await store.profileIdsOf([...new Set([...refs, ...holderRefs])]);
  const stored = await store.getRecords(refs);

  const pending = (profileId: string): Pending => {
    let entry = byProfile.get(profileId);
    if (!entry) {
      entry = { rows: 0, before: [], wholeProfile: false, recordRefs: [] };
      byProfile.set(profileId, entry);
    }
    entry.rows++;
    return entry;
  };
  for (const member of members) {
    if (member.kind === 'profile') {
      const found = byProfile.has(member.profileId)
        ? member.profileId
        : (await store.findProfile(member.profileId))?.profile.id;
      if (found) pending(found).wholeProfile = true;
      else notFound++;
      continue;
    }
    if (member.kind === 'record') {
      const profileId = profileOf.get(member.ref);
      const record = stored.get(member.ref);
      if (profileId && record)
        pending(profileId).before.push(...recordValues(record, context.rules, context.normalizers));
      else notFound++;
    }
  }
  for (const row of rows) {
    const holder = firstHolder(row.keys);
    const profileId = holder ? profileOf.get(holder) : undefined;
    if (profileId) pending(profileId).before.push(...row.values);
    else unresolved.push(row);
  }
  return notFound;
}

async function profilePeople(context: ResolveContext, byProfile: Map<string, Pending>): Promise<AudiencePerson[]> {
  const people: AudiencePerson[] = [];
  const ids = [...byProfile.keys()];
  for (let start = 0; start < ids.length; start += BATCH) {
    const slice = ids.slice(start, start + BATCH);
    const profiles = await context.store.getProfiles(slice);
    const records = await context.store.getRecords(slice.flatMap((id) => profiles.get(id)?.records ?? []));
    for (const id of slice) {
      const profile = profiles.get(id);
      const entry = byProfile.get(id) as Pending;
      if (!profile) continue;
      const after: PersonValue[] = [];
      let newestTs = 0;
      for (const ref of profile.records) {
        const record = records.get(ref);
        if (!record) continue;
        after.push(...recordValues(record, context.rules, context.normalizers));
        newestTs = Math.max(newestTs, record.ts);
      }
      people.push({
        profileId: id,
        rows: entry.rows,
        records: profile.records,
        before: entry.wholeProfile ? after : entry.before,
        after,
        newestTs,
      });
    }
  }
  return people;
}

/** Unmatched rows sharing any normalized identifier are one person (union-find over the rows). */
function groupUnresolved(rows: readonly { values: PersonValue[]; keys: string[] }[]): AudiencePerson[] {
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
  const groups = new Map<number, { rows: number; values: PersonValue[] }>();
  rows.forEach((row, index) => {
    const root = find(index);
    const group = groups.get(root) ?? { rows: 0, values: [] };
    group.rows++;
    group.values.push(...row.values);
    groups.set(root, group);
  });
  return [...groups.values()].map((group) => ({
    rows: group.rows,
    records: [],
    before: group.values,
    after: group.values,
    newestTs: 0,
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
