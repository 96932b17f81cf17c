/**
 * Why two records are in one profile: the chain of accepted evidence between them
 * (core/profile/explain.ts); and when they are apart, what kept them apart (core/profile/why-apart.ts).
 * Either end may be an identifier, which stands for the first record, by reference, holding it.
 */
import { evidencePath } from '../core/profile/explain.js';
import { type ApartReason, whyApart } from '../core/profile/why-apart.js';
import { resolveRecords } from '../core/resolve/resolve-records.js';
import type { FrequencySource, TermFrequencies } from '../core/resolve/term-frequencies.js';
import { identifierKey, type MergeEdge, type PreparedRecord, type RecordRef } from '../core/resolve/types.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { GraphReads } from '../store/graph-store.js';
import { type IdentifierInput, type IdentifierRules, identifierKeyOf } from './identifier.js';
import { QueryError } from './query-error.js';

/** A record reference (source:record_id) or an identifier. */
export type ExplainEnd = RecordRef | IdentifierInput;

export interface Explanation {
  readonly sameProfile: boolean;
  /** The profile both ends are in; null when they are apart. */
  readonly profileId: string | null;
  /** The evidence from one end to the other, one merge edge per step; empty when they are apart. */
  readonly path: readonly MergeEdge[];
  /** The profile of each end (undefined for a record in none). */
  readonly profiles: readonly [string | undefined, string | undefined];
  /** When apart: each thing that kept them apart (side a is the first end's profile). Empty when together. */
  readonly apart: readonly ApartReason[];
}

/** The store reads an explanation makes. */
export type ExplainReads = Pick<
  GraphReads,
  'getRecords' | 'holdersOf' | 'profileIdsOf' | 'getProfiles' | 'profileRecords' | 'sharedIdentifiers' | 'decisionsFor'
>;

/** The rules an explanation reads: identifiers to keys, and the compiled rules to judge with. */
export type ExplainRules = IdentifierRules & Pick<LoadedRules, 'compiled'>;

/** `type=value` with a type of the rules is an identifier; anything else a record reference. */
export function explainEndOf(rules: IdentifierRules, text: string): ExplainEnd {
  const equals = text.indexOf('=');
  const type = text.slice(0, equals);
  return equals > 0 && rules.file.identifiers[type] ? { type, value: text.slice(equals + 1) } : text;
}

export async function explainPair(
  store: ExplainReads,
  rules: ExplainRules,
  a: ExplainEnd,
  b: ExplainEnd,
  /** The term counts resolution scores with (asked for only when the two are apart). */
  frequencies: FrequencySource,
): Promise<Explanation> {
  const left = await recordOf(store, rules, a);
  const right = await recordOf(store, rules, b);
  const ids = await store.profileIdsOf([left, right]);
  const profiles = [ids.get(left), ids.get(right)] as const;
  const profileId = profiles[0];
  if (!profileId || profileId !== profiles[1]) {
    const apart = await reasonsApart(store, rules, [left, right], profiles, await frequencies());
    return { sameProfile: false, profileId: null, path: [], profiles, apart };
  }
  const profile = (await store.getProfiles([profileId])).get(profileId);
  const path = evidencePath(profile?.edges ?? [], left, right) ?? [];
  return { sameProfile: true, profileId, path, profiles, apart: [] };
}

/**
 * Resolves the records of the two profiles again, together, with the store's shared values and the
 * manual decisions that touch them, and asks why-apart what the rules found and what was refused.
 */
async function reasonsApart(
  store: ExplainReads,
  rules: ExplainRules,
  ends: readonly [RecordRef, RecordRef],
  profiles: readonly [string | undefined, string | undefined],
  frequencies: TermFrequencies,
): Promise<ApartReason[]> {
  const members = await store.profileRecords(profiles.filter((id): id is string => id !== undefined));
  const sideRefs = ends.map((end, at) => {
    const id = profiles[at];
    return id ? [...(members.get(id) ?? [end])] : [end];
  });
  const records = await store.getRecords(sideRefs.flat());
  const side = (refs: readonly RecordRef[]) =>
    refs.map((ref) => records.get(ref)).filter((record): record is PreparedRecord => record !== undefined);
  const [a, b] = [side(sideRefs[0] ?? []), side(sideRefs[1] ?? [])];
  const identifiers = [...a, ...b].flatMap((record) =>
    record.identifiers.map((identifier) => identifierKey(identifier.type, identifier.key)),
  );
  const shared = await store.sharedIdentifiers([...new Set(identifiers)]);
  const isShared = (identifier: string) => shared.has(identifier);
  const others = await otherHolders(store, rules, [...a, ...b], isShared);
  const decisions = (await store.decisionsFor([...records.keys(), ...others.map((record) => record.ref)])).map(
    (entry) => entry.decision,
  );
  const resolved = resolveRecords({
    records: [...a, ...b, ...others],
    rules: rules.compiled,
    decisions,
    isHub: isShared,
    frequencies,
  });
  const together = resolved.clusters.some((cluster) => cluster.includes(ends[0]) && cluster.includes(ends[1]));
  if (together) return [{ reason: 'would_join_now' }];
  return whyApart({ a, b, rules: rules.compiled, isShared, refusals: resolved.refusals, frequencies });
}

async function recordOf(
  store: Pick<GraphReads, 'getRecords' | 'holdersOf'>,
  rules: IdentifierRules,
  end: ExplainEnd,
): Promise<RecordRef> {
  if (typeof end === 'string') {
    if ((await store.getRecords([end])).size === 0) throw new QueryError('NOT_FOUND', `no record ${end}`);
    return end;
  }
  const key = identifierKeyOf(rules, end);
  const holder = ((await store.holdersOf([key])).get(key) ?? []).sort()[0];
  if (!holder) throw new QueryError('NOT_FOUND', `no record holds that ${end.type}`);
  return holder;
}

/**
 * The other records holding the two sides' values of a rule with records_without: how many of a
 * value's records lack the field is counted over all of them, as resolution counted it.
 */
async function otherHolders(
  store: ExplainReads,
  rules: ExplainRules,
  sides: readonly PreparedRecord[],
  isShared: (identifier: string) => boolean,
): Promise<PreparedRecord[]> {
  const types = new Set(
    rules.compiled.rules.flatMap((rule) => (rule.kind === 'deterministic' && rule.recordsWithout ? rule.fields : [])),
  );
  if (types.size === 0) return [];
  const keys = sides.flatMap((record) =>
    record.identifiers
      .filter((identifier) => types.has(identifier.type))
      .map((identifier) => identifierKey(identifier.type, identifier.key))
      .filter((key) => !isShared(key)),
  );
  if (keys.length === 0) return [];
  const known = new Set(sides.map((record) => record.ref));
  const holders = await store.holdersOf([...new Set(keys)]);
  const refs = [...new Set([...holders.values()].flat())].filter((ref) => !known.has(ref));
  if (refs.length === 0) return [];
  return [...(await store.getRecords(refs)).values()];
}
