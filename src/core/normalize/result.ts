/**
 * What every normalizer returns. Normalizers never throw: a value that cannot be used comes back
 * as a reason code, so ingest can count refusals by reason and a match-rate report can explain them.
 */

/** Stable reason codes. Add new ones here; reports and reject files print them verbatim. */
export const REASON_CODES = [
  'EMPTY',
  'TOO_LONG',
  'UNREADABLE',
  'JUNK_VALUE',
  'BLOCKED_VALUE',
  'EMAIL_SYNTAX',
  'PHONE_INVALID',
  'PHONE_NO_COUNTRY',
  'PHONE_LENGTH',
  'PHONE_LINE_TYPE',
  'MAID_SYNTAX',
  'MAID_ZEROED',
  'ID_PATTERN',
  'NAME_EMPTY',
  'POSTCODE_INVALID',
  'COUNTRY_UNKNOWN',
  'DOB_INVALID',
  'DOB_OUT_OF_RANGE',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export interface Accepted {
  readonly ok: true;
  /** The canonical value: what is stored and shown (e.g. the lowercased email address). */
  readonly value: string;
  /**
   * The key two values are matched on. Usually equal to `value`; differs where a provider treats
   * different spellings as one mailbox (gmail ignores dots and +tags), so the address is kept as written.
   */
  readonly key: string;
}

export interface Refused {
  readonly ok: false;
  readonly reason: ReasonCode;
}

export type NormalizeResult = Accepted | Refused;

export const accept = (value: string, key: string = value): Accepted => ({ ok: true, value, key });
export const refuse = (reason: ReasonCode): Refused => ({ ok: false, reason });
