/**
 * Resolves an audience's members through the graph: each row is noted under the profile it
 * reaches (by its ID, one of its records, or an identifier it holds; merged profile IDs are
 * followed), in profile groups that stay in memory or, for large audiences, go to files
 * (profile-groups.ts). What is kept per profile is small: the row count, the records the rows
 * named, the raw values of identifier rows. Raw rows that match nothing in the graph stay people of
 * their own, and rows among them that share a normalized identifier are one person.
 * audience-people.ts then reads the people from the store.
 */
import type { AudienceMember } from '../core/audience/members.js';
import type { AudiencePerson, PersonValue } from '../core/audience/person.js';
import { rowValues } from '../core/audience/record-values.js';
import type { RecordNormalizers } from '../core/normalize/rules-normalizers.js';
import { identifierKey, type RecordRef } from '../core/resolve/types.js';
import type { RulesFile } from '../core/rules/schema.js';
import type { GraphReads } from '../store/graph-store.js';
import type { ProfileGroups } from './profile-groups.js';

/** Members resolved per round of store lookups. */
const MEMBER_BATCH = 5_000;

/** The store reads that resolving an audience's members and reading its people make. */
export type AudienceReads = Pick<
  GraphReads,
  'holdersOf' | 'sharedIdentifiers' | 'profileIdsOf' | 'currentProfileIds' | 'profileRecords' | 'getEncodedRecords'
>;

export interface ResolveContext {
  readonly store: AudienceReads;
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
  /** Members in batches of any size, as the file is read. */
  members: AsyncIterable<readonly AudienceMember[]>,
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
    for await (const chunk of members) {
      for (const member of chunk) {
        batch.push(member);
        if (batch.length >= MEMBER_BATCH) await flush();
      }
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

async function resolveBatch(
  context: ResolveContext,
  members: readonly AudienceMember[],
  groups: ProfileGroups,
  unresolved: { values: PersonValue[]; keys: string[] }[],
): Promise<number> {
  let notFound = 0;
  const { store } = context;
  // Plain loops: a million members pass here, and flatMap's array per member doubled this step.
  const refs: RecordRef[] = [];
  const named: string[] = [];
  const rows: { values: PersonValue[]; keys: string[] }[] = [];
  for (const member of members) {
    if (member.kind === 'record') refs.push(member.ref);
    else if (member.kind === 'profile') named.push(member.profileId);
    else {
      const values = rowValues(member.values, context.normalizers);
      rows.push({ values, keys: identifierKeys(context, values) });
    }
  }
  const keys = [...new Set(rows.flatMap((row) => row.keys))];
  const holders = keys.length > 0 ? await store.holdersOf(keys) : new Map<string, RecordRef[]>();
  // A shared value (a household phone) is held by several people: it says nothing about which one.
  const shared = keys.length > 0 ? await store.sharedIdentifiers(keys) : new Set<string>();
  const rowHolders = rows.map((row) =>
    row.keys.map((key) => (shared.has(key) ? undefined : holders.get(key)?.[0])).find(Boolean),
  );
  const holderRefs = rowHolders.filter((ref): ref is RecordRef => ref !== undefined);
  const profileOf = await store.profileIdsOf(holderRefs.length > 0 ? [...new Set([...refs, ...holderRefs])] : refs);
  // A profile ID named by a row may have been merged away: it is followed to where it went.
  const current = named.length > 0 ? await store.currentProfileIds(named) : new Map<string, string>();

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
  rows.forEach((row, index) => {
    const holder = rowHolders[index];
    const profileId = holder ? profileOf.get(holder) : undefined;
    if (profileId) groups.note(profileId, { kind: 'values', values: row.values });
    else unresolved.push(row);
  });
  return notFound;
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
