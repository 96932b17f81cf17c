/**
 * The raw values a stored record carries, typed by the rules file. Records keep the raw text of
 * their mapped fields precisely so values can be normalized again, here the way a destination wants.
 */
import type { RecordNormalizers } from '../normalize/rules-normalizers.js';
import type { PreparedRecord } from '../resolve/types.js';
import type { RulesFile } from '../rules/schema.js';
import type { PersonValue } from './person.js';

export function recordValues(record: PreparedRecord, rules: RulesFile, normalizers: RecordNormalizers): PersonValue[] {
  const source = rules.sources[record.source];
  if (!source) return [];
  const country = recordCountry(record, source.country, normalizers);
  const values: PersonValue[] = [];
  for (const [field, target] of Object.entries(source.fields)) {
    const raw = record.fields[field];
    if (raw === undefined || raw === '') continue;
    values.push(country ? { target, raw, country } : { target, raw });
  }
  return values;
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
  const country = normalizers.country(raw);
  return country.ok ? country.value : undefined;
}
