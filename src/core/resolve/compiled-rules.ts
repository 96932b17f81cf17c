/**
 * The parts of a rules file the resolver needs, precomputed once per rule set so the hot loops do
 * no lookups by name.
 */
import type { BlockingTransform, Comparison, RulesFile } from '../rules/schema.js';
import { BLOCKING_KEY_PATTERN } from '../rules/schema.js';
import { compileFieldMatch, type FieldMatch } from './field-match.js';
import type { PreparedRecord } from './types.js';

export interface BlockingPart {
  readonly field: string;
  readonly transform: BlockingTransform | undefined;
}

export interface CompiledDeterministicRule {
  readonly kind: 'deterministic';
  readonly id: string;
  readonly priority: number;
  /** Fields compared exactly: records are grouped by their values. */
  readonly fields: readonly string[];
  /** Fields compared with another comparator, between two records of one group. */
  readonly compared: readonly FieldMatch[];
  readonly guards: readonly FieldMatch[];
  /** Records lacking `field` link only where they are at most `maxShare` of a group (records_without). */
  readonly recordsWithout?: { readonly field: string; readonly maxShare: number } | undefined;
}

export interface CompiledFuzzyRule {
  readonly kind: 'fuzzy';
  readonly id: string;
  readonly priority: number;
  readonly blocking: readonly (readonly BlockingPart[])[];
  readonly compare: readonly Comparison[];
  readonly minScore: number;
  /** The review band's lower end (below minScore), when the rule has one: pairs from it are review items. */
  readonly reviewFrom?: number | undefined;
  readonly guards: readonly FieldMatch[];
}

export type CompiledRule = CompiledDeterministicRule | CompiledFuzzyRule;

export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  readonly identifierTypes: ReadonlySet<string>;
  /** Type -> number of distinct people after which a value is shared. */
  readonly sharedAfter: ReadonlyMap<string, number>;
  readonly maxPerProfile: ReadonlyMap<string, number>;
  readonly conflictFields: readonly string[];
  /**
   * Per identifier type with shared_after: the fields that tell people apart when counting its
   * holders (its own distinct_people_by or the global one, plus the never-merge fields).
   */
  readonly peopleFields: ReadonlyMap<string, readonly string[]>;
  /** Every field some rule guards, so cluster summaries carry their values. */
  readonly guardFields: readonly string[];
  readonly personNameFields: ReadonlySet<string>;
  readonly maxProfileRecords: number;
  /** The fields some fuzzy comparison weighs by term frequency: the only ones whose values are counted. */
  readonly termFrequencyFields: readonly string[];
}

export function compileRules(file: RulesFile): CompiledRules {
  const rules: CompiledRule[] = file.rules.map((rule, priority) => {
    const guards = (rule.must_not_differ ?? []).map(compileFieldMatch);
    if (rule.kind === 'fuzzy') {
      return {
        kind: 'fuzzy',
        id: rule.id,
        priority,
        blocking: rule.blocking.map((key) => key.map(parseBlockingPart)),
        compare: rule.compare,
        minScore: rule.min_score,
        reviewFrom: rule.review_from,
        guards,
      };
    }
    const match = rule.match.map(compileFieldMatch);
    return {
      kind: 'deterministic',
      id: rule.id,
      priority,
      fields: match.filter((entry) => entry.comparator === 'exact').map((entry) => entry.field),
      compared: match.filter((entry) => entry.comparator !== 'exact'),
      guards,
      recordsWithout: rule.records_without && {
        field: rule.records_without.field,
        maxShare: rule.records_without.max_share,
      },
    };
  });
  const sharedAfter = new Map<string, number>();
  const maxPerProfile = new Map<string, number>();
  for (const [type, config] of Object.entries(file.identifiers)) {
    if (config.shared_after !== undefined) sharedAfter.set(type, config.shared_after);
    if (config.max_per_profile !== undefined) maxPerProfile.set(type, config.max_per_profile);
  }
  const conflictFields = file.constraints.never_merge_on_conflict;
  const peopleFields = new Map<string, readonly string[]>();
  for (const [type, config] of Object.entries(file.identifiers)) {
    if (config.shared_after === undefined) continue;
    const own = config.distinct_people_by ?? file.constraints.distinct_people_by;
    peopleFields.set(type, [...new Set([...own, ...conflictFields])]);
  }
  const guardFields = [...new Set(rules.flatMap((rule) => rule.guards.map((guard) => guard.field)))];
  const personNameFields = new Set(
    Object.entries(file.attributes)
      .filter(([, config]) => config.normalizer === 'person_name')
      .map(([name]) => name),
  );
  return {
    rules,
    identifierTypes: new Set(Object.keys(file.identifiers)),
    sharedAfter,
    maxPerProfile,
    conflictFields,
    peopleFields,
    guardFields,
    personNameFields,
    maxProfileRecords: file.constraints.max_profile_records ?? Number.POSITIVE_INFINITY,
    termFrequencyFields: [
      ...new Set(
        rules.flatMap((rule) =>
          rule.kind === 'fuzzy'
            ? rule.compare.filter((comparison) => comparison.term_frequency === true).map(({ field }) => field)
            : [],
        ),
      ),
    ],
  };
}

function parseBlockingPart(text: string): BlockingPart {
  const match = BLOCKING_KEY_PATTERN.exec(text);
  if (match?.[1] && match[2]) return { field: match[2], transform: match[1] as BlockingTransform };
  return { field: match?.[3] ?? text, transform: undefined };
}

const NO_VALUES: readonly string[] = [];

/** Matching keys a record holds for an identifier type or attribute (identifiers may hold several). */
export function fieldKeys(record: PreparedRecord, field: string): readonly string[] {
  const attribute = record.attributes[field];
  if (attribute) return [attribute.key];
  let keys: string[] | undefined;
  for (const identifier of record.identifiers) {
    if (identifier.type !== field) continue;
    if (!keys) keys = [];
    if (!keys.includes(identifier.key)) keys.push(identifier.key);
  }
  return keys ?? NO_VALUES;
}
