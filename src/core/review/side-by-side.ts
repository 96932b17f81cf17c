/**
 * The two records of a review item side by side, as a steward compares them: every field either
 * record holds (identifiers and attributes), the values each holds as normalized, and whether they
 * agree (equal matching keys); the item's rule's fields first. For a fuzzy rule, the pair scored
 * again as the rule scores it now, comparison by comparison.
 */
import type { CompiledRule } from '../resolve/compiled-rules.js';
import { fieldKeys } from '../resolve/compiled-rules.js';
import { type NoEvidence, scorePair } from '../resolve/fuzzy-score.js';
import type { TermFrequencies } from '../resolve/term-frequencies.js';
import type { EvidenceItem, PreparedRecord } from '../resolve/types.js';

export interface FieldSideBySide {
  readonly field: string;
  /** The values each record holds, as shown to users (canonical values). */
  readonly a: readonly string[];
  readonly b: readonly string[];
  /** Whether a value of one agrees with one of the other (equal matching keys); null when a side has none. */
  readonly agree: boolean | null;
  /** Whether the item's rule reads this field (matched, compared, blocked on or guarded). */
  readonly inRule: boolean;
}

export interface PairScoring {
  readonly rule: string;
  readonly score: number;
  readonly threshold: number;
  readonly reviewFrom?: number;
  /** Per comparison: the values compared (matching keys), the measure and the weight it added. */
  readonly evidence: readonly EvidenceItem[];
}

export function sideBySide(a: PreparedRecord, b: PreparedRecord, rule: CompiledRule | undefined): FieldSideBySide[] {
  const ruleFields = rule ? fieldsOf(rule) : [];
  const others = new Set<string>();
  for (const record of [a, b]) {
    for (const identifier of record.identifiers) others.add(identifier.type);
    for (const name of Object.keys(record.attributes)) others.add(name);
  }
  const order = [...ruleFields, ...[...others].filter((field) => !ruleFields.includes(field)).sort()];
  return order
    .filter((field) => others.has(field))
    .map((field) => {
      const left = fieldKeys(a, field);
      const right = fieldKeys(b, field);
      const agree = left.length === 0 || right.length === 0 ? null : left.some((key) => right.includes(key));
      return { field, a: shownValues(a, field), b: shownValues(b, field), agree, inRule: ruleFields.includes(field) };
    });
}

/** The pair scored by a fuzzy rule, shared values counting for nothing as in resolution. */
export function scoreForReview(
  a: PreparedRecord,
  b: PreparedRecord,
  rule: CompiledRule | undefined,
  noEvidence: NoEvidence,
  frequencies: TermFrequencies,
): PairScoring | undefined {
  if (rule?.kind !== 'fuzzy') return undefined;
  const { score, evidence } = scorePair(a, b, rule, frequencies, noEvidence);
  return {
    rule: rule.id,
    score: Math.round(score * 1000) / 1000,
    threshold: rule.minScore,
    ...(rule.reviewFrom !== undefined ? { reviewFrom: rule.reviewFrom } : {}),
    evidence,
  };
}

function fieldsOf(rule: CompiledRule): string[] {
  const fields =
    rule.kind === 'fuzzy'
      ? [...rule.compare.map((comparison) => comparison.field), ...rule.blocking.flat().map((part) => part.field)]
      : [...rule.fields, ...rule.compared.map((match) => match.field)];
  return [...new Set([...fields, ...rule.guards.map((guard) => guard.field)])];
}

function shownValues(record: PreparedRecord, field: string): string[] {
  const attribute = record.attributes[field];
  if (attribute) return [attribute.value];
  const values: string[] = [];
  for (const identifier of record.identifiers) {
    if (identifier.type === field && !values.includes(identifier.value)) values.push(identifier.value);
  }
  return values;
}
