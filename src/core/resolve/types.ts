/**
 * The data the resolver works on. A prepared record holds only canonical values (raw fields are not
 * kept: they are personal data the engine does not need once normalized).
 */

/** `source:key`. Source names are snake_case without ':', so the first ':' separates the two. */
export type RecordRef = string;

export interface PreparedIdentifier {
  readonly type: string;
  /** Matching key (e.g. gmail without dots). Two records share an identifier when type and key are equal. */
  readonly key: string;
  /** Canonical value as shown to users. */
  readonly value: string;
}

export interface PreparedAttribute {
  readonly key: string;
  readonly value: string;
}

export interface PreparedRecord {
  readonly ref: RecordRef;
  readonly source: string;
  readonly recordId: string;
  /** Epoch milliseconds of the record's timestamp field; 0 when the source has none. */
  readonly ts: number;
  readonly identifiers: readonly PreparedIdentifier[];
  readonly attributes: Readonly<Record<string, PreparedAttribute>>;
  /**
   * The raw values of the fields the source maps (and its timestamp and country fields), kept so a
   * rules change can normalize them again. Unmapped fields are never stored.
   */
  readonly fields: Readonly<Record<string, string>>;
}

export const recordRef = (source: string, recordId: string): RecordRef => `${source}:${recordId}`;

export function splitRecordRef(ref: RecordRef): { source: string; recordId: string } {
  const colon = ref.indexOf(':');
  return { source: ref.slice(0, colon), recordId: ref.slice(colon + 1) };
}

/** Index key of an identifier value: type and matching key. */
export const identifierKey = (type: string, key: string): string => `${type}\u0001${key}`;

export function splitIdentifierKey(identifier: string): { type: string; key: string } {
  const separator = identifier.indexOf('\u0001');
  return { type: identifier.slice(0, separator), key: identifier.slice(separator + 1) };
}

/** Why two records were joined: one accepted edge of a profile's spanning forest. */
export interface MergeEdge {
  readonly a: RecordRef;
  readonly b: RecordRef;
  /** Rule id, or `manual_link` for a user's force-link. */
  readonly rule: string;
  /** Which fields matched: type or attribute name -> matching key, and for fuzzy rules per-field scores. */
  readonly evidence: readonly EvidenceItem[];
  /** Fuzzy rules: the summed weight. */
  readonly score?: number;
}

export interface EvidenceItem {
  readonly field: string;
  /** Matching key of the value that agreed (for identifiers) or the compared values' keys. */
  readonly values: readonly string[];
  readonly comparator?: string;
  readonly similarity?: number;
  readonly distance?: number;
  /** What the comparison added to the score, with any term-frequency adjustment in it. */
  readonly weight?: number;
  /** Fuzzy comparisons with term_frequency, on an agreement: what the value's rarity added (negative: commonness took). */
  readonly termFrequencyAdjustment?: number;
}

/** Manual decisions that hold through re-resolution and rule changes. */
export type Decision =
  | { readonly id: string; readonly kind: 'force_link'; readonly a: RecordRef; readonly b: RecordRef }
  | {
      readonly id: string;
      readonly kind: 'keep_apart';
      /** Records on one side never end in one profile with records on the other side. */
      readonly sideA: readonly RecordRef[];
      readonly sideB: readonly RecordRef[];
    };

export type RefusalReason =
  | 'manual_decision'
  | 'conflicting_value'
  | 'identifier_limit'
  | 'profile_size_cap'
  /** A rule's must_not_differ field disagrees between the two profiles. */
  | 'guard_conflict';
