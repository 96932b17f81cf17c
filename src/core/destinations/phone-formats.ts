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
  const result = normalizePhone(raw, country ? { country, refuseJunk: false } : { refuseJunk: false });
  if (result.ok) return formatted(result.value);
  switch (result.reason) {
    case 'EMPTY':
    case 'PHONE_LENGTH':
      return refusedBy(result.reason);
    case 'PHONE_NO_COUNTRY':
      return withoutCountry(raw);
    default:
      return refusedBy('PHONE_INVALID');
  }
}

function withoutCountry(raw: string): FormatOutcome {
  const digits = raw.replace(/\D/g, '');
  if (digits.startsWith('0')) return refusedBy('PHONE_AMBIGUOUS_TRUNK_ZERO');
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  if (parsed?.isValid()) {
    return formatted(parsed.number, 'COUNTRY_CODE_READ_FROM_DIGITS');
  }
  return refusedBy('PHONE_NO_COUNTRY_CODE');
}
