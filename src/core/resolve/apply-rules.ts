/**
 * Applying one rule's evidence during resolution (resolve-records.ts): the pairs a rule proposes,
 * in the fixed priority that makes the outcome independent of arrival order, each handed to
 * `attempt`, which merges unless a protection refuses. Pairs a rule does not merge but a steward
 * should see (a fuzzy score in the review band, a match short only of a shared value) go to
 * `review` (see review-candidates.ts).
 */
import { blockingKeys } from './blocking.js';
import type { CompiledDeterministicRule, CompiledFuzzyRule, CompiledRules } from './compiled-rules.js';
import { fieldKeys } from './compiled-rules.js';
import type { FieldMatch } from './field-match.js';
import { anyAgree, valuesAgree } from './field-match.js';
import {
  type CompareKeys,
  compareKeysOf,
  lowestScoreOfInterest,
  type NoEvidence,
  reachesMinScore,
  scorePair,
} from './fuzzy-score.js';
import type { ReviewFinding } from './review-candidates.js';
import type { SharedVerdicts } from './shared-verdicts.js';
import type { TermFrequencies } from './term-frequencies.js';
import type { EvidenceItem, PreparedRecord } from './types.js';
import { identifierKey } from './types.js';

/** What `attempt` needs of a rule: its id, and the guards its merges must pass. */
export interface AttemptRule {
  readonly id: string;
  readonly guards: readonly FieldMatch[];
}

export type Attempt = (a: number, b: number, rule: AttemptRule, evidence: EvidenceItem[], score?: number) => boolean;

/** Notes a pair for review: resolution keeps it if its records end apart (review-candidates.ts). */
export type Review = (a: number, b: number, finding: ReviewFinding) => void;

/** The tuples of matching keys a record offers a deterministic rule's exact fields, skipping shared values. */
function ruleTuples(
  record: PreparedRecord,
  rule: CompiledDeterministicRule,
  rules: CompiledRules,
  verdicts: SharedVerdicts,
): string[][] {
  let tuples: string[][] = [[]];
  for (const field of rule.fields) {
    let keys = fieldKeys(record, field);
    if (rules.identifierTypes.has(field)) {
      keys = keys.filter((key) => verdicts.isEvidence(identifierKey(field, key)));
    }
    if (keys.length === 0) return [];
    tuples = tuples.flatMap((tuple) => keys.map((key) => [...tuple, key]));
  }
  // A compared field must be present too: a rule links on what both records have.
  for (const compared of rule.compared) if (fieldKeys(record, compared.field).length === 0) return [];
  return tuples;
}

export function applyDeterministic(
  rule: CompiledDeterministicRule,
  records: readonly PreparedRecord[],
  rules: CompiledRules,
  verdicts: SharedVerdicts,
  find: (index: number) => number,
  attempt: Attempt,
  review: Review,
): void {
  // Map iteration follows insertion order, and records are visited in priority order, so groups come
  // out ordered by their earliest record and members in priority order.
  const groups = new Map<string, { tuple: string[]; members: number[] }>();
  records.forEach((record, index) => {
    for (const tuple of ruleTuples(record, rule, rules, verdicts)) {
      const id = tuple.join('\u0000');
      const group = groups.get(id);
      if (group) group.members.push(index);
      else groups.set(id, { tuple, members: [index] });
    }
  });
  for (const group of groups.values()) {
    const { tuple } = group;
    const members = linkableMembers(rule, records, group.members);
    if (members.length < 2) continue;
    const evidence: EvidenceItem[] = rule.fields.map((field, position) => ({
      field,
      values: [tuple[position] as string],
    }));
    if (rule.compared.length > 0) {
      linkAgreeingPairs(rule, records, members, evidence, find, attempt);
      continue;
    }
    // Each member joins the first earlier cluster of the group that accepts it; a member refused by
    // every one starts a cluster of its own within the group.
    const anchors: number[] = [];
    for (const member of members) {
      const root = find(member);
      let placed = anchors.some((anchor) => find(anchor) === root);
      for (let i = 0; !placed && i < anchors.length; i++) {
        placed = attempt(anchors[i] as number, member, rule, evidence);
      }
      if (!placed) anchors.push(member);
    }
  }
  if (rule.fields.length + rule.compared.length >= 2) reviewSharedMatches(rule, records, rules, verdicts, review);
}

/**
 * A group's members that may link (records_without): when more than the rule's share of them lack
 * the field (a landline given without a name as often as with one), those records stay out, since
 * they may be another household member's; the records with it link as before.
 */
function linkableMembers(
  rule: CompiledDeterministicRule,
  records: readonly PreparedRecord[],
  members: readonly number[],
): readonly number[] {
  const limit = rule.recordsWithout;
  if (!limit || members.length < 2) return members;
  const holding = members.filter((index) => fieldKeys(records[index] as PreparedRecord, limit.field).length > 0);
  const lacking = members.length - holding.length;
  return lacking / members.length > limit.maxShare ? holding : members;
}

/**
 * Pairs a deterministic rule of several fields would link but for a shared value: every field
 * agrees, at least one through a value found shared (a household landline) and at least one
 * through a value that is evidence (the same first name). Only records holding a shared value of
 * one of the rule's types are grouped, so this costs nothing where no value is shared.
 */
function reviewSharedMatches(
  rule: CompiledDeterministicRule,
  records: readonly PreparedRecord[],
  rules: CompiledRules,
  verdicts: SharedVerdicts,
  review: Review,
): void {
  const identifierFields = rule.fields.filter((field) => rules.identifierTypes.has(field));
  if (identifierFields.length === 0) return;
  const groups = new Map<string, { sharedField: string; members: number[] }>();
  records.forEach((record, index) => {
    const holdsShared = identifierFields.some((field) =>
      fieldKeys(record, field).some((key) => verdicts.foundShared(identifierKey(field, key))),
    );
    if (!holdsShared) return;
    for (const { tuple, sharedField } of sharedTuples(record, rule, rules, verdicts)) {
      const id = tuple.join('\u0000');
      const group = groups.get(id);
      if (group) group.members.push(index);
      else groups.set(id, { sharedField, members: [index] });
    }
  });
  for (const { sharedField, members } of groups.values()) {
    for (let later = 1; later < members.length; later++) {
      for (let earlier = 0; earlier < later; earlier++) {
        const a = members[earlier] as number;
        const b = members[later] as number;
        const agree = rule.compared.every((match) =>
          anyAgree(
            match,
            fieldKeys(records[a] as PreparedRecord, match.field),
            fieldKeys(records[b] as PreparedRecord, match.field),
          ),
        );
        if (agree) review(a, b, { kind: 'refused', rule: rule.id, reason: 'shared_value', field: sharedField });
      }
    }
  }
}

/**
 * A record's tuples for a rule's exact fields that hold a shared value and at least one value that
 * is evidence; hubs (placeholders on too many records to count) are left out. Each with the first
 * field, in the rule's order, whose value is shared.
 */
function sharedTuples(
  record: PreparedRecord,
  rule: CompiledDeterministicRule,
  rules: CompiledRules,
  verdicts: SharedVerdicts,
): { tuple: string[]; sharedField: string }[] {
  let tuples: { keys: string[]; sharedField: string | undefined; evidence: boolean }[] = [
    { keys: [], sharedField: undefined, evidence: false },
  ];
  for (const field of rule.fields) {
    const isType = rules.identifierTypes.has(field);
    const keys = fieldKeys(record, field).filter(
      (key) =>
        !isType || verdicts.isEvidence(identifierKey(field, key)) || verdicts.foundShared(identifierKey(field, key)),
    );
    if (keys.length === 0) return [];
    tuples = tuples.flatMap((tuple) =>
      keys.map((key) => {
        const shared = isType && verdicts.foundShared(identifierKey(field, key));
        return {
          keys: [...tuple.keys, key],
          sharedField: tuple.sharedField ?? (shared ? field : undefined),
          evidence: tuple.evidence || !shared,
        };
      }),
    );
  }
  for (const compared of rule.compared) if (fieldKeys(record, compared.field).length === 0) return [];
  return tuples.flatMap(({ keys, sharedField, evidence }) =>
    sharedField !== undefined && (evidence || rule.compared.length > 0) ? [{ tuple: keys, sharedField }] : [],
  );
}

/**
 * Within a group that agrees on the exact fields, each pair that also agrees on the compared fields
 * (Rick and Richard under `nickname`) is attempted, later member by later member, each against the
 * earlier ones in priority order.
 */
function linkAgreeingPairs(
  rule: CompiledDeterministicRule,
  records: readonly PreparedRecord[],
  members: readonly number[],
  exact: readonly EvidenceItem[],
  find: (index: number) => number,
  attempt: Attempt,
): void {
  const keysOf = (index: number) =>
    rule.compared.map((match) => fieldKeys(records[index] as PreparedRecord, match.field));
  const keys = members.map(keysOf);
  for (let later = 1; later < members.length; later++) {
    const right = keys[later] as (readonly string[])[];
    for (let earlier = 0; earlier < later; earlier++) {
      if (find(members[earlier] as number) === find(members[later] as number)) continue;
      const left = keys[earlier] as (readonly string[])[];
      if (!rule.compared.every((match, at) => anyAgree(match, left[at] ?? [], right[at] ?? []))) continue;
      const compared = rule.compared.map((match, at): EvidenceItem => {
        const pair = agreeingPair(match, left[at] ?? [], right[at] ?? []);
        return { field: match.field, values: pair, comparator: match.comparator };
      });
      attempt(members[earlier] as number, members[later] as number, rule, [...exact, ...compared]);
    }
  }
}

function agreeingPair(match: FieldMatch, left: readonly string[], right: readonly string[]): string[] {
  for (const l of left) for (const r of right) if (valuesAgree(match, l, r)) return [l, r];
  return [];
}

export function applyFuzzy(
  rule: CompiledFuzzyRule,
  records: readonly PreparedRecord[],
  rules: CompiledRules,
  verdicts: SharedVerdicts,
  frequencies: TermFrequencies,
  attempt: Attempt,
  review: Review,
): void {
  verdicts.decideFor(rule.compare.map((comparison) => comparison.field));
  // A shared value (a household's landline, a family mailbox) is no evidence for a fuzzy rule either.
  const noEvidence = (field: string, key: string) =>
    rules.identifierTypes.has(field) && !verdicts.isEvidence(identifierKey(field, key));
  // Values counted and found shared, as opposed to hubs (placeholders no review should rest on).
  const sharedValue = (field: string, key: string) =>
    rules.identifierTypes.has(field) && verdicts.foundShared(identifierKey(field, key));
  const hubOrWithheld = (field: string, key: string) => noEvidence(field, key) && !sharedValue(field, key);
  const blocks = new Map<string, number[]>();
  records.forEach((record, index) => {
    for (const key of blockingKeys(record, rule)) {
      const block = blocks.get(key);
      if (block) block.push(index);
      else blocks.set(key, [index]);
    }
  });
  const seen = new Set<number>();
  const matches: { a: number; b: number; score: number; evidence: EvidenceItem[] }[] = [];
  const nearMisses: { a: number; b: number; finding: ReviewFinding }[] = [];
  // Most candidates are no match: decided from the compared keys first, scored in full (with
  // evidence) only when they may match or fall in the review band. The first check ignores shared
  // values, which can only lower a score, so it never turns away a match.
  const floor = lowestScoreOfInterest(rule);
  const compared: (CompareKeys | undefined)[] = new Array(records.length);
  const keysOf = (index: number) => {
    compared[index] ??= compareKeysOf(records[index] as PreparedRecord, rule);
    return compared[index];
  };
  const holdsShared = sharedHolding(rule, records, sharedValue);
  for (const block of blocks.values()) {
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const a = block[i] as number;
        const b = block[j] as number;
        const pairId = a * records.length + b;
        if (seen.has(pairId)) continue;
        seen.add(pairId);
        if (!reachesMinScore(keysOf(a), keysOf(b), rule, frequencies, floor)) continue;
        const left = records[a] as PreparedRecord;
        const right = records[b] as PreparedRecord;
        const { score, evidence } = scorePair(left, right, rule, frequencies, noEvidence);
        if (score >= rule.minScore) {
          matches.push({ a, b, score, evidence });
          continue;
        }
        const threshold = rule.minScore;
        // Short of a match only because a shared value counted for nothing.
        const sharedField =
          holdsShared(a) || holdsShared(b) ? sharedFieldOf(rule, left, right, sharedValue) : undefined;
        if (sharedField !== undefined && scorePair(left, right, rule, frequencies, hubOrWithheld).score >= threshold) {
          const finding = {
            kind: 'refused',
            rule: rule.id,
            reason: 'shared_value',
            score,
            threshold,
            field: sharedField,
          };
          nearMisses.push({ a, b, finding: finding as ReviewFinding });
        } else if (rule.reviewFrom !== undefined && score >= rule.reviewFrom) {
          nearMisses.push({ a, b, finding: { kind: 'score_band', rule: rule.id, score, threshold } });
        }
      }
    }
  }
  matches.sort((x, y) => y.score - x.score || x.a - y.a || x.b - y.b);
  for (const match of matches) attempt(match.a, match.b, rule, match.evidence, match.score);
  nearMisses.sort((x, y) => (y.finding.score as number) - (x.finding.score as number) || x.a - y.a || x.b - y.b);
  for (const miss of nearMisses) review(miss.a, miss.b, miss.finding);
}

/** Whether a record holds a shared value of the rule's compared fields, per record index. */
function sharedHolding(
  rule: CompiledFuzzyRule,
  records: readonly PreparedRecord[],
  shared: NoEvidence,
): (index: number) => boolean {
  const known: (boolean | undefined)[] = new Array(records.length);
  return (index) => {
    known[index] ??= rule.compare.some((comparison) =>
      fieldKeys(records[index] as PreparedRecord, comparison.field).some((key) => shared(comparison.field, key)),
    );
    return known[index];
  };
}

/** The first compared field (in the rule's order) both records hold where one of them holds a shared value. */
function sharedFieldOf(
  rule: CompiledFuzzyRule,
  left: PreparedRecord,
  right: PreparedRecord,
  shared: NoEvidence,
): string | undefined {
  for (const { field } of rule.compare) {
    const a = fieldKeys(left, field);
    const b = fieldKeys(right, field);
    if (a.length === 0 || b.length === 0) continue;
    if (a.some((key) => shared(field, key)) || b.some((key) => shared(field, key))) return field;
  }
  return undefined;
}
