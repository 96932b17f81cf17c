/**
 * Why two groups of records (the profiles of two records) are apart: what each rule found between
 * them, and which protection refused a merge a rule proposed. The refusals come from resolving the
 * two groups again (resolve-records.ts), so they are the resolver's own verdicts; the rest compares
 * the groups rule by rule, as the resolver does, and keeps the closest pair of records for each rule.
 *
 * Values are personal data: a reason names fields and rules, and shows a value only masked.
 */
import { redact } from '../audience/redact.js';
import { blockingKeys } from '../resolve/blocking.js';
import type { CompiledDeterministicRule, CompiledFuzzyRule, CompiledRules } from '../resolve/compiled-rules.js';
import { fieldKeys } from '../resolve/compiled-rules.js';
import { anyAgree, compileFieldMatch, type FieldMatch } from '../resolve/field-match.js';
import { scorePair } from '../resolve/fuzzy-score.js';
import type { Refusal } from '../resolve/resolve-records.js';
import type { TermFrequencies } from '../resolve/term-frequencies.js';
import type { PreparedRecord, RecordRef, RefusalReason } from '../resolve/types.js';
import { identifierKey } from '../resolve/types.js';

/** One thing that kept the two apart; `side` a or b is the group of the first or second record asked about. */
export type ApartReason =
  | { readonly reason: 'no_shared_evidence' }
  /** A rule's field is absent from every record of one side that could otherwise match. */
  | { readonly reason: 'rule_field_missing'; readonly rule: string; readonly field: string; readonly side: 'a' | 'b' }
  /** Both sides have the field, and no value of one agrees with one of the other. */
  | { readonly reason: 'field_differs'; readonly rule: string; readonly field: string }
  /** The rule's values agree, but through a value several people use: no evidence of one person. */
  | { readonly reason: 'shared_value'; readonly rule: string; readonly field: string; readonly value: string }
  | {
      readonly reason: 'score_below_threshold';
      readonly rule: string;
      readonly score: number;
      readonly threshold: number;
    }
  /** A rule proposed the merge and a protection refused it. */
  | {
      readonly reason: Exclude<RefusalReason, 'guard_conflict'>;
      readonly rule: string;
    }
  | {
      readonly reason: 'guard_conflict';
      readonly rule: string;
      readonly field: string;
      readonly comparator: FieldMatch['comparator'];
      /** The value with no partner on the other side, and the other side's values, masked. */
      readonly value: string;
      readonly side: 'a' | 'b';
      readonly others: readonly string[];
    }
  /** Resolving the two sides again joins them: the graph was resolved under other rules, or is changing. */
  | { readonly reason: 'would_join_now' };

export interface ApartInput {
  readonly a: readonly PreparedRecord[];
  readonly b: readonly PreparedRecord[];
  readonly rules: CompiledRules;
  /** Whether an identifier value (identifierKey) is shared: no evidence for any rule. */
  readonly isShared: (identifier: string) => boolean;
  /** The refusals of resolving the two sides together (only those between the sides count). */
  readonly refusals: readonly Refusal[];
  /** The term counts resolution scored with, so a score below the threshold is the one it found. */
  readonly frequencies: TermFrequencies;
}

export function whyApart(input: ApartInput): ApartReason[] {
  const reasons: ApartReason[] = [...refusalReasons(input)];
  for (const rule of input.rules.rules) {
    reasons.push(...(rule.kind === 'fuzzy' ? fuzzyReasons(rule, input) : deterministicReasons(rule, input)));
  }
  return reasons.length > 0 ? dedupe(reasons) : [{ reason: 'no_shared_evidence' }];
}

function refusalReasons({ a, b, refusals }: ApartInput): ApartReason[] {
  const sideOf = new Map<RecordRef, 'a' | 'b'>([
    ...a.map((record) => [record.ref, 'a'] as const),
    ...b.map((record) => [record.ref, 'b'] as const),
  ]);
  const reasons: ApartReason[] = [];
  for (const refusal of refusals) {
    const first = sideOf.get(refusal.a);
    const second = sideOf.get(refusal.b);
    if (!first || !second || first === second) continue;
    if (refusal.reason !== 'guard_conflict' || !refusal.conflict) {
      reasons.push({ reason: refusal.reason, rule: refusal.rule } as ApartReason);
      continue;
    }
    const { field, comparator, value, side, others } = refusal.conflict;
    // The conflict's side is the refusal's a or b; turned into the side of the question asked.
    const holder = side === 'a' ? first : second;
    reasons.push({
      reason: 'guard_conflict',
      rule: refusal.rule,
      field,
      comparator,
      value: redact(value),
      side: holder,
      others: others.map(redact),
    });
  }
  return reasons;
}

function betweenSides(refusal: Refusal, { a, b }: ApartInput): boolean {
  const inA = (ref: RecordRef) => a.some((record) => record.ref === ref);
  const inB = (ref: RecordRef) => b.some((record) => record.ref === ref);
  return (inA(refusal.a) && inB(refusal.b)) || (inB(refusal.a) && inA(refusal.b));
}

type FieldState = 'agrees' | 'shared' | 'missing_a' | 'missing_b' | 'differs';

/**
 * For a deterministic rule, the pair of records (one per side) that comes closest to matching: the
 * most fields agreeing. When every field agrees the rule proposed the merge, and only a refusal or a
 * shared value can have kept them apart.
 */
function deterministicReasons(rule: CompiledDeterministicRule, input: ApartInput): ApartReason[] {
  const matches: FieldMatch[] = [...rule.fields.map((field) => compileFieldMatch(field)), ...rule.compared];
  let best: FieldState[] | undefined;
  let bestScore = -1;
  for (const x of input.a) {
    for (const y of input.b) {
      const states = matches.map((match) => fieldState(match, x, y, input));
      const score = states.filter((state) => state === 'agrees').length * 2 + (states.includes('shared') ? 1 : 0);
      if (score > bestScore) [best, bestScore] = [states, score];
    }
  }
  // Nothing in common for this rule: it says nothing about these two.
  if (!best?.some((state) => state === 'agrees' || state === 'shared')) return [];
  const reasons: ApartReason[] = [];
  // Every field agrees and nothing refused the rule's merge, yet it left them apart: records without
  // its records_without field were too many of the value's records, on a side with none holding it.
  const without = rule.recordsWithout;
  const refused = input.refusals.some((refusal) => refusal.rule === rule.id && betweenSides(refusal, input));
  if (without && !refused && best.every((state) => state === 'agrees')) {
    for (const [side, records] of [
      ['a', input.a],
      ['b', input.b],
    ] as const) {
      if (records.every((record) => fieldKeys(record, without.field).length === 0)) {
        reasons.push({ reason: 'rule_field_missing', rule: rule.id, field: without.field, side });
      }
    }
  }
  best.forEach((state, at) => {
    const field = (matches[at] as FieldMatch).field;
    if (state === 'missing_a' || state === 'missing_b')
      reasons.push({ reason: 'rule_field_missing', rule: rule.id, field, side: state === 'missing_a' ? 'a' : 'b' });
    else if (state === 'differs') reasons.push({ reason: 'field_differs', rule: rule.id, field });
    else if (state === 'shared') {
      const value = sharedValueOf(field, input);
      reasons.push({ reason: 'shared_value', rule: rule.id, field, value: redact(value ?? '') });
    }
  });
  return reasons;
}

function fieldState(match: FieldMatch, x: PreparedRecord, y: PreparedRecord, input: ApartInput): FieldState {
  const left = fieldKeys(x, match.field);
  const right = fieldKeys(y, match.field);
  if (left.length === 0) return 'missing_a';
  if (right.length === 0) return 'missing_b';
  if (!input.rules.identifierTypes.has(match.field)) return anyAgree(match, left, right) ? 'agrees' : 'differs';
  const usable = (keys: readonly string[]) => keys.filter((key) => !input.isShared(identifierKey(match.field, key)));
  if (anyAgree(match, usable(left), usable(right))) return 'agrees';
  return anyAgree(match, left, right) ? 'shared' : 'differs';
}

/** A shared value of the field both sides hold (the first in sorted order, for a stable answer). */
function sharedValueOf(field: string, { a, b, isShared }: ApartInput): string | undefined {
  const right = new Set(b.flatMap((record) => fieldKeys(record, field)));
  return [...new Set(a.flatMap((record) => fieldKeys(record, field)))]
    .filter((key) => right.has(key) && isShared(identifierKey(field, key)))
    .sort()[0];
}

/** For a fuzzy rule, the best score of the pairs it compares (pairs sharing a blocking key). */
function fuzzyReasons(rule: CompiledFuzzyRule, input: ApartInput): ApartReason[] {
  const noEvidence = (field: string, key: string) =>
    input.rules.identifierTypes.has(field) && input.isShared(identifierKey(field, key));
  const blocksOfB = input.b.map((record) => new Set(blockingKeys(record, rule)));
  let best: number | undefined;
  for (const x of input.a) {
    const blocks = blockingKeys(x, rule);
    input.b.forEach((y, at) => {
      if (!blocks.some((key) => blocksOfB[at]?.has(key))) return;
      const { score } = scorePair(x, y, rule, input.frequencies, noEvidence);
      if (best === undefined || score > best) best = score;
    });
  }
  if (best === undefined || best >= rule.minScore) return [];
  return [{ reason: 'score_below_threshold', rule: rule.id, score: round(best), threshold: rule.minScore }];
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function dedupe(reasons: readonly ApartReason[]): ApartReason[] {
  const seen = new Set<string>();
  return reasons.filter((reason) => {
    const key = JSON.stringify(reason);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
