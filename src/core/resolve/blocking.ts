/** Blocking keys: fuzzy rules only compare records that agree on every part of one blocking key. */
import type { BlockingTransform } from '../rules/schema.js';
import { soundex } from '../similarity/soundex.js';
import {
  type BlockingPart,
  type CompiledFuzzyRule,
  type CompiledRule,
  type CompiledRules,
  fieldKeys,
} from './compiled-rules.js';
import type { PreparedRecord } from './types.js';

const TRANSFORMS: Record<BlockingTransform, (key: string) => string> = {
  prefix1: (key) => key.slice(0, 1),
  prefix3: (key) => key.slice(0, 3),
  soundex,
  email_local: (key) => key.slice(0, key.lastIndexOf('@')),
  email_domain: (key) => key.slice(key.lastIndexOf('@') + 1),
  year: (key) => key.slice(0, 4),
};

/**
 * Keys already computed for a record object: one commit asks for a record's keys when staging it,
 * when collecting the scope and when resolving, and the object is the same each time.
 */
const computed = new WeakMap<PreparedRecord, Map<CompiledFuzzyRule, string[]>>();

/** Every blocking key of one record under one fuzzy rule (several when a field holds several values). */
export function blockingKeys(record: PreparedRecord, rule: CompiledFuzzyRule): string[] {
  let byRule = computed.get(record);
  const known = byRule?.get(rule);
  if (known) return known;
  const keys = computeBlockingKeys(record, rule);
  if (!byRule) {
    byRule = new Map();
    computed.set(record, byRule);
  }
  byRule.set(rule, keys);
  return keys;
}

/**
 * The fuzzy rules of a rule set, in priority order: only they have blocking keys. Callers that ask
 * per record take this once and pass it on, rather than filtering the rules again each time.
 */
export function fuzzyRulesOf(compiled: CompiledRules): CompiledFuzzyRule[] {
  return compiled.rules.filter(isFuzzy);
}

function isFuzzy(rule: CompiledRule): rule is CompiledFuzzyRule {
  return rule.kind === 'fuzzy';
}

/**
 * Every blocking key of one record under every one of `fuzzyRules`, rule by rule (keys name their
 * rule, so one list serves a store's block index). `keysOf` is the cached `blockingKeys` unless the
 * caller passes `computeBlockingKeys`, for one-pass work over records it will not ask about again.
 */
export function recordBlockingKeys(
  record: PreparedRecord,
  fuzzyRules: readonly CompiledFuzzyRule[],
  keysOf: (record: PreparedRecord, rule: CompiledFuzzyRule) => readonly string[] = blockingKeys,
): string[] {
  // A fresh array even for one rule: the cached one must not reach a caller that may change it.
  const keys: string[] = [];
  for (const rule of fuzzyRules) for (const key of keysOf(record, rule)) keys.push(key);
  return keys;
}

/** The keys without the per-object cache, for one-pass work over many records (the bulk path). */
export function computeBlockingKeys(record: PreparedRecord, rule: CompiledFuzzyRule): string[] {
  const keys: string[] = [];
  rule.blocking.forEach((parts, index) => {
    let combinations = [`${rule.id}\u0002${index}`];
    for (const part of parts) {
      const values = partValues(record, part);
      if (values.length === 0) return;
      // Most parts hold one value: one key, without building the cross product.
      combinations =
        combinations.length === 1 && values.length === 1
          ? [`${combinations[0]}\u0003${values[0]}`]
          : combinations.flatMap((prefix) => values.map((value) => `${prefix}\u0003${value}`));
    }
    for (const key of combinations) keys.push(key);
  });
  return keys;
}

/** A part's distinct non-empty values, transformed, in the order the record holds them. */
function partValues(record: PreparedRecord, part: BlockingPart): readonly string[] {
  const transform = part.transform ? TRANSFORMS[part.transform] : undefined;
  const values = fieldKeys(record, part.field);
  if (values.length === 1) {
    const value = transform ? transform(values[0] as string) : (values[0] as string);
    return value === '' ? [] : [value];
  }
  const distinct: string[] = [];
  for (const key of values) {
    const value = transform ? transform(key) : key;
    if (value !== '' && !distinct.includes(value)) distinct.push(value);
  }
  return distinct;
}
