/**
 * The vocabulary of destinations (ad platforms that take customer lists). A destination field is
 * what a platform accepts, named once here; each platform normalizes and hashes it its own way
 * (../shared/reference/destinations.md), on top of idgraph's canonical values.
 */

export const DESTINATION_FIELDS = [
  'email',
  'phone',
  'maid',
  'first_name',
  'last_name',
  'postal_code',
  'country',
  'city',
  'state',
  'dob',
  'gender',
  'x_handle',
  'external_id',
] as const;

export type DestinationField = (typeof DESTINATION_FIELDS)[number];

/**
 * Why a value cannot be sent to a destination. The report counts them and ranks fixes by them,
 * so the codes are stable (match-rate-report.md, "Invalid reason codes").
 */
export const DESTINATION_REASONS = [
  'EMPTY',
  'TOO_LONG',
  'JUNK_VALUE',
  'EMAIL_SYNTAX',
  'EMAIL_PLATFORM_EXCLUDED',
  'PHONE_INVALID',
  'PHONE_NO_COUNTRY_CODE',
  'PHONE_AMBIGUOUS_TRUNK_ZERO',
  'PHONE_LENGTH',
  'PHONE_NOT_ACCEPTED_IN_REGION',
  'MAID_FORMAT',
  'MAID_ZEROED',
  'COUNTRY_NOT_ISO2',
  'ZIP_TOO_SHORT',
  'NAME_EMPTY_AFTER_NORMALIZATION',
  'DOB_INVALID',
  'GENDER_INVALID',
  'HASH_WRONG_LENGTH',
  'HANDLE_INVALID',
  'EXTERNAL_ID_INVALID',
  'FIELD_NOT_ACCEPTED',
] as const;

export type DestinationReason = (typeof DESTINATION_REASONS)[number];

export type HashAlgorithm = 'sha256_hex' | 'sha256_base64' | 'none';

export interface DestinationValueAccepted {
  readonly ok: true;
  /** The platform's normalized form, before hashing. */
  readonly normalized: string;
  /** What goes into the upload file: the hash, or the normalized value for fields sent in clear. */
  readonly upload: string;
  readonly hash: HashAlgorithm;
  /** The input was already a hash of the right shape; it is passed through (it cannot be checked). */
  readonly prehashed?: boolean;
  /** Set when the value was accepted on an assumption worth reporting (e.g. a country code read from the digits). */
  readonly note?: string;
}

export interface DestinationValueRefused {
  readonly ok: false;
  readonly reason: DestinationReason;
}

export type DestinationValue = DestinationValueAccepted | DestinationValueRefused;

/** What a field normalizer knows about the value's record: its country, for phones and postal codes. */
export interface DestinationContext {
  /** ISO 3166-1 alpha-2. */
  readonly country?: string;
  /**
   * The rules' canonical form of the value, when the graph already holds it; a format that would
   * arrive at the same form (E.164 for phones) starts from it instead of parsing again.
   */
  readonly canonical?: string;
}

/** A field normalizer returns the platform's form before hashing, or a reason. */
export type FieldFormat = (raw: string, context: DestinationContext) => FormatOutcome;

export type FormatOutcome =
  | { readonly ok: true; readonly normalized: string; readonly note?: string }
  | DestinationValueRefused;

export const formatted = (normalized: string, note?: string): FormatOutcome =>
  note ? { ok: true, normalized, note } : { ok: true, normalized };
export const refusedBy = (reason: DestinationReason): DestinationValueRefused => ({ ok: false, reason });
