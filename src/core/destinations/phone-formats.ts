/**
 * How each platform wants a phone number: E.164 with the "+" (Google, UID2/The Trade Desk) or the
 * same digits without it (Meta, TikTok, Snap). Both need the country code, "even if all of your data
 * is from the same country" (Meta). We get it from the record's country; without one, a number that
 * starts with a trunk zero is refused (stripping the zero would make it another person's number), and
 * digits that already form a valid international number are taken as such, with a note.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { normalizePhone } from '../normalize/phone.js';
import { ValueMemo } from '../value-memo.js';
import { type FieldFormat, type FormatOutcome, formatted, refusedBy } from './types.js';

export type PhoneStyle = 'e164' | 'digits';

/** E.164 allows 15 digits after the "+" [UID2]; Meta's SDK refuses more than 15 [M-SDK]. */
const MAX_E164_DIGITS = 15;

/**
 * Parsing a phone number is the costliest step of a report, and every destination starts from the
 * same E.164 form; one bounded memo lets nine destinations (and the export after a report) parse a
 * number once. It holds outcomes of a pure function, so sharing it changes no result.
 */
const e164Memo = new ValueMemo<FormatOutcome>(200_000);

export function phoneFormat(style: PhoneStyle): FieldFormat {
  return (raw, context) => {
    // The rules' phone normalizer is the parse below, so an accepted number's canonical form is it.
    if (context.canonical?.startsWith('+')) {
      return style === 'e164' ? formatted(context.canonical) : formatted(context.canonical.slice(1));
    }
    const outcome = e164Memo.get('phone', context.country, raw, () => toE164(raw, context.country));
    if (!outcome.ok || style === 'e164') return outcome;
    return formatted(outcome.normalized.slice(1), outcome.note);
  };
}

function toE164(raw: string, country: string | undefined): FormatOutcome {
  const text = withPlusForInternationalPrefix(raw);
  if (significantDigits(text).length > MAX_E164_DIGITS) return refusedBy('PHONE_LENGTH');
  const result = normalizePhone(text, country ? { country, refuseJunk: false } : { refuseJunk: false });
  if (result.ok) return formatted(result.value);
  switch (result.reason) {
    case 'EMPTY':
    case 'PHONE_LENGTH':
      return refusedBy(result.reason);
    case 'PHONE_NO_COUNTRY':
      return withoutCountry(text);
    default:
      return refusedBy('PHONE_INVALID');
  }
}

/**
 * "00" is the international prefix in most of the world; Snap says to drop it [SN-CAPI] and Meta's
 * SDK strips up to two leading zeros [M-SDK]. People also write it apart from the country code
 * ("00 44 20 7183 8750"), which the shared parser would otherwise take for a trunk zero.
 */
function withPlusForInternationalPrefix(raw: string): string {
  return raw.replace(/^\s*00[\s.()-]*(?=[1-9])/, '+');
}

/** The digits that count towards the E.164 length: no extension, no "(0)" trunk hint. */
function significantDigits(text: string): string {
  return text
    .replace(/\b(?:ext|x)\.?\s*\d+\s*$/i, '')
    .replace(/\(0\)/g, '')
    .replace(/\D/g, '');
}

function withoutCountry(text: string): FormatOutcome {
  const digits = text.replace(/\D/g, '');
  if (digits.startsWith('0')) return refusedBy('PHONE_AMBIGUOUS_TRUNK_ZERO');
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  if (parsed?.isValid()) {
    return formatted(parsed.number, 'COUNTRY_CODE_READ_FROM_DIGITS');
  }
  return refusedBy('PHONE_NO_COUNTRY_CODE');
}

/** EU member states (ISO 3166-1 alpha-2), where The Trade Desk takes no phone numbers. */
const EU_MEMBER_STATES = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

const numberCountryMemo = new ValueMemo<string>(50_000);

/**
 * The Trade Desk takes phones "not in the EU" [TEAL-TTD][ADOBE-TTD] (its European ID, EUID, is
 * email only). A phone is refused when the record is in the EU or the number is an EU number.
 */
export function outsideEu(format: FieldFormat): FieldFormat {
  return (raw, context) => {
    const outcome = format(raw, context);
    if (!outcome.ok) return outcome;
    const recordCountry = context.country?.toUpperCase();
    const numberCountry = numberCountryMemo.get('phone', undefined, outcome.normalized, () =>
      countryOfNumber(outcome.normalized),
    );
    if (EU_MEMBER_STATES.has(recordCountry ?? '') || EU_MEMBER_STATES.has(numberCountry)) {
      return refusedBy('PHONE_NOT_ACCEPTED_IN_REGION');
    }
    return outcome;
  };
}

/** The ISO country of an international number, or '' when the calling code is shared and unresolved. */
function countryOfNumber(normalized: string): string {
  const international = normalized.startsWith('+') ? normalized : `+${normalized}`;
  return parsePhoneNumberFromString(international)?.country ?? '';
}
