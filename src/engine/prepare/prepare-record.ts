/**
 * Turns a raw row of a source into a prepared record: the key, the timestamp, and every mapped and
 * derived field normalized into identifiers and attributes. Values a normalizer refuses are counted by reason, not
 * fatal: a row with a broken phone still contributes its email. Only a row that cannot be a record at
 * all (no key) is rejected.
 */

import { deriveField, fieldsRead, readPath } from '../../core/mapping/derive-field.js';
import type { ReasonCode } from '../../core/normalize/result.js';
import type { RecordNormalizers } from '../../core/normalize/rules-normalizers.js';
import type { PreparedAttribute, PreparedIdentifier, PreparedRecord } from '../../core/resolve/types.js';
import { recordRef } from '../../core/resolve/types.js';
import type { RulesFile, SourceConfig } from '../../core/rules/schema.js';

export type RowRejection = 'ROW_NOT_OBJECT' | 'MISSING_KEY' | 'KEY_TOO_LONG' | 'UNKNOWN_SOURCE';

export interface FieldRefusal {
  readonly field: string;
  readonly reason: ReasonCode | 'TIMESTAMP_INVALID';
}

export type PrepareOutcome =
  | { readonly ok: true; readonly record: PreparedRecord; readonly refusals: readonly FieldRefusal[] }
  | { readonly ok: false; readonly reason: RowRejection; readonly field?: string };

const MAX_KEY_LENGTH = 512;

export function prepareRecord(
  rules: RulesFile,
  normalizers: RecordNormalizers,
  sourceName: string,
  row: unknown,
  /** YYYY-MM-DD, so dates of birth in the future are refused; passed in, the core reads no clock. */
  today?: string,
): PrepareOutcome {
  const source: SourceConfig | undefined = rules.sources[sourceName];
  if (!source) return { ok: false, reason: 'UNKNOWN_SOURCE' };
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return { ok: false, reason: 'ROW_NOT_OBJECT' };
  const fields = row as Record<string, unknown>;
  const recordId = scalarText(fields[source.key]);
  if (recordId === undefined) return { ok: false, reason: 'MISSING_KEY', field: source.key };
  if (recordId.length > MAX_KEY_LENGTH) return { ok: false, reason: 'KEY_TOO_LONG', field: source.key };

  const refusals: FieldRefusal[] = [];
  const kept: Record<string, string> = {};
  const keep = (field: string) => {
    const text = scalarText(fields[field]);
    if (text !== undefined) kept[field] = text;
  };

  let ts = 0;
  if (source.timestamp) {
    keep(source.timestamp);
    const parsed = parseTimestamp(fields[source.timestamp]);
    if (parsed === undefined) {
      if (fields[source.timestamp] !== undefined && fields[source.timestamp] !== '') {
        refusals.push({ field: source.timestamp, reason: 'TIMESTAMP_INVALID' });
      }
    } else ts = parsed;
  }

  const context: { country?: string; today?: string } = today ? { today } : {};
  const countryRaw = source.country && 'fixed' in source.country ? source.country.fixed : undefined;
  const countryField = source.country && 'field' in source.country ? source.country.field : undefined;
  if (countryField) keep(countryField);
  const countryValue = countryRaw ?? (countryField ? fields[countryField] : undefined);
  if (countryValue !== undefined && countryValue !== null && countryValue !== '') {
    const country = normalizers.country(countryValue);
    if (country.ok) context.country = country.value;
  }

  const identifiers: PreparedIdentifier[] = [];
  const attributes: Record<string, PreparedAttribute> = {};
  const add = (field: string, target: string, value: unknown) => {
    const result = normalizers.normalize(target, value, context);
    if (!result.ok) {
      if (result.reason !== 'EMPTY') refusals.push({ field, reason: result.reason });
      return;
    }
    if (target in rules.identifiers) {
      if (!identifiers.some((known) => known.type === target && known.key === result.key)) {
        identifiers.push({ type: target, key: result.key, value: result.value });
      }
    } else if (!attributes[target]) {
      attributes[target] = { key: result.key, value: result.value };
    }
  };
  for (const [field, target] of Object.entries(source.fields)) {
    const raw = fields[field];
    if (raw === undefined || raw === null || raw === '') continue;
    keep(field);
    for (const value of Array.isArray(raw) ? raw : [raw]) add(field, target, value);
  }
  // Derived values come after mapped fields: for an attribute, a mapped value wins.
  for (const [target, recipe] of Object.entries(source.derived ?? {})) {
    const value = deriveField(recipe, fields);
    if (value === undefined) continue;
    for (const path of fieldsRead(recipe)) {
      const text = readPath(fields, path);
      if (text !== undefined) kept[path] = text;
    }
    add(`derived.${target}`, target, value);
  }
  identifiers.sort((x, y) => (x.type + x.key < y.type + y.key ? -1 : 1));
  return {
    ok: true,
    record: {
      ref: recordRef(sourceName, recordId),
      source: sourceName,
      recordId,
      ts,
      identifiers,
      attributes,
      fields: kept,
    },
    refusals,
  };
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** ISO 8601 text, or epoch seconds / milliseconds as a number (values below 10^11 are seconds). */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return parseTimestamp(Number(text));
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
