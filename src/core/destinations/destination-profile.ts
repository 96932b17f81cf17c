/**
 * What idgraph knows about one destination: the fields it accepts and how each is normalized and
 * hashed, the audience size it needs before it serves, and soft priors for how likely a person is
 * to be matched by each kind of key. Priors are configurable because they are rough; the report
 * states the method and the assumptions with every estimate.
 */
import type { DestinationField, FieldFormat, HashAlgorithm } from './types.js';

export const DESTINATION_IDS = [
  'meta',
  'google',
  'tiktok',
  'linkedin',
  'snapchat',
  'pinterest',
  'x',
  'the_trade_desk',
  'amazon',
] as const;

export type DestinationId = (typeof DESTINATION_IDS)[number];

export interface FieldSpec {
  readonly format: FieldFormat;
  readonly hash: HashAlgorithm;
  /** Column header in the upload file. */
  readonly header: string;
  /** How many values of this field one person may carry in the upload (Meta: up to 3 emails). */
  readonly maxPerPerson: number;
}

/** Match likelihood of one person through one kind of key, as a range. */
export interface Prior {
  readonly low: number;
  readonly mid: number;
  readonly high: number;
}

/**
 * A key is what makes a person matchable on its own: one field (email, phone, device ID), or a
 * combination that only counts when every part is valid (Google: first + last name + country + postal code).
 */
export interface MatchKey {
  readonly name: string;
  readonly fields: readonly DestinationField[];
  readonly prior: Prior;
}

export interface DestinationProfile {
  readonly id: DestinationId;
  readonly name: string;
  readonly fields: Partial<Record<DestinationField, FieldSpec>>;
  readonly keys: readonly MatchKey[];
  /** Matched people the platform needs before the audience serves. */
  readonly minimumMatchedPeople: number;
  readonly minimumNote: string;
  /** Hours before the platform's own count settles; early readings are wrong. */
  readonly settleHours: number;
  /** Work (business) email addresses match consumer accounts much less often; their prior is scaled by this. */
  readonly workEmailFactor: number;
  /**
   * An already-hashed SHA-256 (hex or Base64) is passed through, written in the destination's encoding,
   * rather than hashed again (double hashing is discouraged [SEG-FB]).
   */
  readonly acceptsPrehashed: boolean;
  /**
   * Older hashes a platform also takes, per field, passed through lowercased: Meta's SDK lets any
   * 32-hex (MD5) value through [M-SDK]; Pinterest takes MD5 emails and SHA-1 device IDs [TEAL-PIN].
   * Elsewhere a 32-hex value is refused as HASH_WRONG_LENGTH.
   */
  readonly legacyHashes?: Readonly<Partial<Record<DestinationField, readonly LegacyHash[]>>>;
}

export type LegacyHash = 'md5_hex' | 'sha1_hex';

export const prior = (low: number, mid: number, high: number): Prior => ({ low, mid, high });
