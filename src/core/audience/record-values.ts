/**
 * The raw values a stored record carries, typed by the rules file. Records keep the raw text of
 * their mapped fields precisely so values can be normalized again, here the way a destination wants.
 */
import type { RecordNormalizers } from '../normalize/rules-normalizers.js';
import type { PreparedRecord } from '../resolve/types.js';
import type { RulesFile } from '../rules/schema.js';
import { ValueMemo } from '../value-memo.js';
import type { PersonValue } from './person.js';

export function recordValues(record: PreparedRecord, rules: RulesFile, normalizers: RecordNormalizers): PersonValue[] {
  const source = rules.sources[record.source];
  if (!source) return [];
  const country = recordCountry(record, source.country, normalizers);
  const { mapped, shared } = mappedFields(source);
  // Only a target that several fields feed (phone and mobile) can have more than one raw value.
  let rawCount: Map<string, number> | undefined;
  if (shared.size > 0) {
    rawCount = new Map();
    for (const [field, target] of mapped) {
      const raw = record.fields[field];
      if (shared.has(target) && raw !== undefined && raw !== '') rawCount.set(target, (rawCount.get(target) ?? 0) + 1);
    }
  }
  const values: PersonValue[] = [];
  for (const [field, target] of mapped) {
    const raw = record.fields[field];
    if (raw === undefined || raw === '') continue;
    const form = graphForm(record, target, target in rules.identifiers, rawCount?.get(target) ?? 1);
    // One object shape for every value (absent properties as undefined) keeps property reads fast.
    values.push({ target, raw, country, accepted: form.accepted, canonical: form.canonical });
  }
  return values;
}

const NOT_VOUCHED = { accepted: undefined, canonical: undefined } as const;

/**
 * What the record says the rules made of a value. Prepared records keep the normalized values,
 * not which field each came from, so a value counts as accepted only when every raw value of its
 * target left a normalized one (a refused or collapsed value makes the counts differ), and its
 * canonical form is known only when it is its target's one value.
 */
function graphForm(
  record: PreparedRecord,
  target: string,
  isIdentifier: boolean,
  rawCount: number,
): { accepted: true | undefined; canonical: string | undefined } {
  if (!isIdentifier) {
    const attribute = record.attributes[target];
    return attribute && rawCount === 1 ? { accepted: true, canonical: attribute.value } : NOT_VOUCHED;
  }
  let kept = 0;
  let canonical: string | undefined;
  for (const identifier of record.identifiers) {
    if (identifier.type !== target) continue;
    kept++;
    canonical = identifier.value;
  }
  if (kept !== rawCount) return NOT_VOUCHED;
  return { accepted: true, canonical: rawCount === 1 ? canonical : undefined };
}

interface MappedFields {
  /** Field -> target, as the source maps them. */
  readonly mapped: readonly (readonly [string, string])[];
  /** Targets that more than one field maps to. */
  readonly shared: ReadonlySet<string>;
}

const mappedBySource = new WeakMap<object, MappedFields>();

function mappedFields(source: RulesFile['sources'][string]): MappedFields {
  let fields = mappedBySource.get(source);
  if (!fields) {
    const mapped = Object.entries(source.fields);
    const targets = mapped.map(([, target]) => target);
    const shared = new Set(targets.filter((target, index) => targets.indexOf(target) !== index));
    fields = { mapped, shared };
    mappedBySource.set(source, fields);
  }
  return fields;
}

/** A raw audience row's values: its columns are already named by target. */
export function rowValues(values: Readonly<Record<string, string>>, normalizers: RecordNormalizers): PersonValue[] {
  const countryRaw = values.country;
  const country = countryRaw ? normalizers.country(countryRaw) : undefined;
  return Object.entries(values).map(([target, raw]) =>
    country?.ok ? { target, raw, country: country.value } : { target, raw },
  );
}

function recordCountry(
  record: PreparedRecord,
  setting: RulesFile['sources'][string]['country'],
  normalizers: RecordNormalizers,
): string | undefined {
  if (!setting) return undefined;
  const raw = 'fixed' in setting ? setting.fixed : record.fields[setting.field];
  if (raw === undefined || raw === '') return undefined;
  return (
    countryMemo(normalizers).get('country', undefined, raw, () => {
      const country = normalizers.country(raw);
      return country.ok ? country.value : null;
    }) ?? undefined
  );
}

/**
 * Countries as records write them, normalized once each per set of normalizers: every record of
 * an audience asks, and a store holds a handful of spellings.
 */
const countryMemos = new WeakMap<RecordNormalizers, ValueMemo<string | null>>();

function countryMemo(normalizers: RecordNormalizers): ValueMemo<string | null> {
  let memo = countryMemos.get(normalizers);
  if (!memo) {
    memo = new ValueMemo(2_048);
    countryMemos.set(normalizers, memo);
  }
  return memo;
}
