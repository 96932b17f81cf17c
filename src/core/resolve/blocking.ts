/** Blocking keys: fuzzy rules only compare records that agree on every part of one blocking key. */
import type { BlockingTransform } from '../rules/schema.js';
import { soundex } from '../similarity/soundex.js';
import { type CompiledFuzzyRule, fieldKeys } from './compiled-rules.js';
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

/** The keys without the per-object cache, for one-pass work over many records (the bulk path). */
export function computeBlockingKeys(record: PreparedRecord, rule: CompiledFuzzyRule): string[] {
  const keys: string[] = [];
  rule.blocking.forEach((parts, index) => {
    let combinations = [`${rule.id}\u0002${index}`];
    for (const part of parts) {
      const values = fieldKeys(record, part.field);
      if (values.length === 0) return;
      const transform = part.transform ? TRANSFORMS[part.transform] : undefined;
      const transformed = [...new Set(values.map((value) => (transform ? transform(value) : value)))].filter(
        (value) => value !== '',
      );
      if (transformed.length === 0) return;
      combinations = combinations.flatMap((prefix) => transformed.map((value) => `${prefix}\u0003${value}`));
    }
    keys.push(...combinations);
  });
  return keys;
}
