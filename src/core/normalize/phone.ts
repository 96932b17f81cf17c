/**
 * Phone numbers to E.164 with libphonenumber-js. A number written without its country code needs
 * a default country (the record's or the source's); without one it is refused as PHONE_NO_COUNTRY
 * rather than guessed, since stripping a trunk zero without the right country code yields a
 * different person's number. We accept numbers that are *possible* (right length for the country)
 * rather than only *valid* per the allocation tables: the tables lag reality, and a wrong refusal
 * loses a real match while a junk number is caught by the placeholder list.
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { isJunkNationalNumber } from './junk.js';
import { accept, type NormalizeResult, refuse } from './result.js';
import { MAX_INPUT_LENGTH, rawText } from './text-basics.js';

export interface PhoneContext {
  /** ISO 3166-1 alpha-2 of the record or source. */
  readonly country?: string;
  /** Refuse placeholder numbers (0000000000, 1234567890); default true. */
  readonly refuseJunk?: boolean;
}

const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

export function normalizePhone(raw: unknown, context: PhoneContext = {}): NormalizeResult {
  const text = rawText(raw);
  if (text === undefined) return refuse('EMPTY');
  if (text.length > MAX_INPUT_LENGTH) return refuse('TOO_LONG');
  if (/[a-z]{3,}/i.test(text.replace(/\b(ext|x)\.?\s*\d+$/i, ''))) return refuse('PHONE_INVALID');
  const digits = text.replace(/\D/g, '');
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS + 2) return refuse('PHONE_LENGTH');

  // "00" is the international prefix in most of the world: 0044... means +44...
  const international = /^\s*\+/.test(text) ? text : /^\s*00[1-9]/.test(text) ? `+${text.trim().slice(2)}` : undefined;
  const country = toCountryCode(context.country);
  if (!international && !country) return refuse('PHONE_NO_COUNTRY');
  let parsed: ReturnType<typeof parsePhoneNumberFromString>;
  try {
    parsed = international
      ? parsePhoneNumberFromString(international)
      : parsePhoneNumberFromString(text, { defaultCountry: country as CountryCode });
  } catch {
    return refuse('PHONE_INVALID');
  }
  if (!parsed?.isPossible()) return refuse('PHONE_INVALID');
  const e164 = parsed.number;
  if (e164.length - 1 > MAX_DIGITS) return refuse('PHONE_LENGTH');
  if (context.refuseJunk !== false && isJunkNationalNumber(parsed.nationalNumber)) return refuse('JUNK_VALUE');
  return accept(e164);
}

function toCountryCode(country: string | undefined): string | undefined {
  if (!country) return undefined;
  const upper = country.toUpperCase();
  return /^[A-Z]{2}$/.test(upper) ? upper : undefined;
}
