/**
 * A file's columns held against its source's mapping, before any row is read: the mapped fields
 * the file lacks (every row would come without them, silently) and the columns no mapping reads
 * (their values would be dropped), each with the likely intended name when one is close: a header
 * `e-mail` for the mapped `email`, a field `emial`.
 */
import { levenshtein } from '../similarity/levenshtein.js';
import type { SourceConfig } from './schema.js';

export interface ColumnFindings {
  readonly missing: readonly { readonly field: string; readonly didYouMean?: string }[];
  readonly unmapped: readonly { readonly column: string; readonly didYouMean?: string }[];
}

/** The fields a source reads from each row: its key, timestamp, country field, and mapped fields. */
export function mappedFields(source: SourceConfig): string[] {
  const fields = new Set([source.key]);
  if (source.timestamp) fields.add(source.timestamp);
  if (source.country && 'field' in source.country) fields.add(source.country.field);
  for (const field of Object.keys(source.fields)) fields.add(field);
  return [...fields];
}

export function compareColumns(columns: readonly string[], source: SourceConfig): ColumnFindings {
  const mapped = mappedFields(source);
  const present = new Set(columns);
  const missingFields = mapped.filter((field) => !present.has(field));
  const unmappedColumns = columns.filter((column) => !mapped.includes(column));
  return {
    missing: missingFields.map((field) => withSuggestion({ field }, closest(field, unmappedColumns))),
    unmapped: unmappedColumns.map((column) => withSuggestion({ column }, closest(column, missingFields))),
  };
}

function withSuggestion<T extends object>(finding: T, didYouMean: string | undefined): T & { didYouMean?: string } {
  return didYouMean === undefined ? finding : { ...finding, didYouMean };
}

/** The candidate nearest to a name, if near enough to be a typo or a variant spelling of it. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const plain = simplify(name);
  for (const candidate of candidates) {
    const other = simplify(candidate);
    // `cookie` for `cookie_id`: one name holding the other is as telling as a typo.
    const contained = plain.length >= 3 && other.length >= 3 && (plain.includes(other) || other.includes(plain));
    const distance = contained ? 1 : levenshtein(plain, other);
    const allowed = Math.max(2, Math.floor(Math.max(plain.length, other.length) / 3));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Case and separators do not make names different: `E-Mail`, `e_mail` and `email` are near. */
function simplify(name: string): string {
  return name.toLowerCase().replace(/[-_\s.]/g, '');
}
