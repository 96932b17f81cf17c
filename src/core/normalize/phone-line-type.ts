/**
 * What kind of line a phone number is (mobile, fixed line...), from libphonenumber's numbering
 * plans. A household landline is the family's, a mobile is one person's: rules that let a phone link
 * records without a name can ask for mobiles only (an identifier type's `line_types`). The plans
 * come from libphonenumber-js's full metadata, loaded only by rules that ask; where a plan cannot
 * tell (the +1 countries give fixed_line_or_mobile), the rules choose whether that counts.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export const PHONE_LINE_TYPES = [
  'mobile',
  'fixed_line',
  'fixed_line_or_mobile',
  'voip',
  'toll_free',
  'premium_rate',
  'shared_cost',
  'personal_number',
  'pager',
  'uan',
  'voicemail',
  'unknown',
] as const;

export type PhoneLineType = (typeof PHONE_LINE_TYPES)[number];

/** The line type of an E.164 number; `unknown` when the plan does not say. */
export function phoneLineType(e164: string): PhoneLineType {
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type ? (type.toLowerCase() as PhoneLineType) : 'unknown';
}
