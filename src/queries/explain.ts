/**
 * Why two records are in one profile: the chain of accepted evidence between them
 * (core/profile/explain.ts). Either end may be an identifier, which stands for the first record,
 * by reference, holding it.
 */
import { evidencePath } from '../core/profile/explain.js';
import type { MergeEdge, RecordRef } from '../core/resolve/types.js';
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
}

/** `type=value` with a type of the rules is an identifier; anything else a record reference. */
export function explainEndOf(rules: IdentifierRules, text: string): ExplainEnd {
  const equals = text.indexOf('=');
  const type = text.slice(0, equals);
  return equals > 0 && rules.file.identifiers[type] ? { type, value: text.slice(equals + 1) } : text;
}

export async function explainPair(
  store: Pick<GraphReads, 'getRecords' | 'holdersOf' | 'profileIdsOf' | 'getProfiles'>,
  rules: IdentifierRules,
  a: ExplainEnd,
  b: ExplainEnd,
): Promise<Explanation> {
  const left = await recordOf(store, rules, a);
  const right = await recordOf(store, rules, b);
  const ids = await store.profileIdsOf([left, right]);
  const profiles = [ids.get(left), ids.get(right)] as const;
  const profileId = profiles[0];
  if (!profileId || profileId !== profiles[1]) return { sameProfile: false, profileId: null, path: [], profiles };
  const profile = (await store.getProfiles([profileId])).get(profileId);
  const path = evidencePath(profile?.edges ?? [], left, right) ?? [];
  return { sameProfile: true, profileId, path, profiles };
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
