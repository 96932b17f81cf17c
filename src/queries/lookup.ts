/**
 * Which profile holds an identifier. A value can be held by several profiles (a household phone, a
 * team inbox, a value the rules declared shared): the answer then says so and lists them all, so
 * nobody acts on one profile believing it is the only one.
 */
import type { RecordRef } from '../core/resolve/types.js';
import type { GraphReads } from '../store/graph-store.js';
import { type IdentifierInput, type IdentifierRules, identifierKeyOf, normalizedKey } from './identifier.js';
import { QueryError } from './query-error.js';

export interface LookupAnswer {
  /** The profile of the record that has held the value longest: the one lookups always answered with. */
  readonly profileId: string;
  /** Every live profile holding the value, `profileId` first. */
  readonly profiles: readonly string[];
  /** True when more than one profile holds the value. */
  readonly ambiguous: boolean;
}

export interface LookupResult {
  readonly type: string;
  /** Absent when no profile holds the value, or it could not be looked up (`reason`). */
  readonly answer?: LookupAnswer;
  /** Why the value could not be looked up: UNKNOWN_TYPE, or its normalizer's reason code. */
  readonly reason?: string;
}

/**
 * Several identifiers at once, each answered on its own (one unusable value does not fail the
 * others), with one store read for all of them.
 */
export async function lookupIdentifiers(
  store: Pick<GraphReads, 'profilesHolding'>,
  rules: IdentifierRules,
  inputs: readonly IdentifierInput[],
): Promise<LookupResult[]> {
  const keys = inputs.map((input) => {
    try {
      return normalizedKey(rules, input);
    } catch (error) {
      if (error instanceof QueryError) return { ok: false as const, reason: error.code };
      throw error;
    }
  });
  const holding = await store.profilesHolding(keys.flatMap((key) => (key.ok ? [key.key] : [])));
  return inputs.map((input, index) => {
    const key = keys[index] as (typeof keys)[number];
    if (!key.ok) return { type: input.type, reason: key.reason };
    const profiles = holding.get(key.key);
    return profiles ? { type: input.type, answer: answerOf(profiles) } : { type: input.type };
  });
}

export interface HeldBy extends LookupAnswer {
  /** The records of `profileId`. */
  readonly records: readonly RecordRef[];
}

/** One identifier, with the records of the profile answering it; no holder is NOT_FOUND. */
export async function lookupIdentifier(
  store: Pick<GraphReads, 'profilesHolding' | 'profileRecords'>,
  rules: IdentifierRules,
  input: IdentifierInput,
): Promise<HeldBy> {
  const key = identifierKeyOf(rules, input);
  const profiles = (await store.profilesHolding([key])).get(key);
  if (!profiles) throw new QueryError('NOT_FOUND', `no profile holds that ${input.type}`);
  const answer = answerOf(profiles);
  const records = (await store.profileRecords([answer.profileId])).get(answer.profileId) ?? [];
  return { ...answer, records };
}

function answerOf(profiles: readonly string[]): LookupAnswer {
  return { profileId: profiles[0] as string, profiles, ambiguous: profiles.length > 1 };
}
