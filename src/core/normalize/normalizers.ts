/**
 * One normalizer per kind, by the names the rules language uses. Each takes a raw value and a
 * context and returns a canonical value or a reason; none throws, whatever it is given.
 */
import { normalizeCountry } from './country.js';
import { type DateContext, normalizeDateOfBirth } from './date-of-birth.js';
import { normalizeDeviceId } from './device-id.js';
import { normalizeEmail } from './email.js';
import { normalizeFreeText } from './free-text.js';
import { isJunkDeviceId, isJunkEmail, isPlaceholderText } from './junk.js';
import { type CasePolicy, normalizeOpaqueId } from './opaque-id.js';
import { normalizePersonName } from './person-name.js';
import { normalizePhone } from './phone.js';
import { type PhoneLineType, phoneLineType } from './phone-line-type.js';
import { normalizePostalCode } from './postal-code.js';
import { type NormalizeResult, refuse } from './result.js';

export interface NormalizeContext extends DateContext {
  /** ISO 3166-1 alpha-2: default region for phones, format of postal codes, order of dates. */
  readonly country?: string;
}

export type Normalizer = (raw: unknown, context?: NormalizeContext) => NormalizeResult;

export const NORMALIZER_KINDS = [
  'email',
  'phone',
  'device_id',
  'cookie',
  'custom',
  'person_name',
  'postal_code',
  'country',
  'date_of_birth',
  'text',
] as const;

export type NormalizerKind = (typeof NORMALIZER_KINDS)[number];

export interface NormalizerOptions {
  readonly case?: CasePolicy;
  readonly pattern?: string;
  /** Refuse the built-in placeholder values (default true). */
  readonly builtinJunk?: boolean;
  /** phone: the line types accepted (a number of another type is refused as PHONE_LINE_TYPE). */
  readonly lineTypes?: readonly PhoneLineType[];
  /** date_of_birth: the earliest date accepted, YYYY-MM-DD. */
  readonly earliest?: string;
}

/** The normalizer of a kind, with the built-in placeholder check applied to its canonical value. */
export function createNormalizer(kind: NormalizerKind, options: NormalizerOptions = {}): Normalizer {
  const base = baseNormalizer(kind, options);
  const isJunk = options.builtinJunk === false ? never : JUNK_CHECKS[kind];
  return (raw, context = {}) => {
    try {
      const result = base(raw, context);
      if (result.ok && isJunk(result.value)) return { ok: false, reason: 'JUNK_VALUE' };
      return result;
    } catch {
      // A normalizer bug must not stop an ingest: the value is refused, and the property tests hunt
      // for inputs that get here.
      return { ok: false, reason: 'UNREADABLE' };
    }
  };
}

const never = () => false;

function baseNormalizer(kind: NormalizerKind, options: NormalizerOptions): Normalizer {
  switch (kind) {
    case 'email':
      return (raw) => normalizeEmail(raw);
    case 'phone': {
      const phone: Normalizer = (raw, context) =>
        normalizePhone(raw, { ...context, refuseJunk: options.builtinJunk !== false });
      const accepted = options.lineTypes ? new Set(options.lineTypes) : undefined;
      if (!accepted) return phone;
      return (raw, context) => {
        const result = phone(raw, context);
        return result.ok && !accepted.has(phoneLineType(result.value)) ? refuse('PHONE_LINE_TYPE') : result;
      };
    }
    case 'device_id':
      return (raw) => normalizeDeviceId(raw);
    case 'cookie':
    case 'custom': {
      const pattern = options.pattern ? new RegExp(options.pattern, 'u') : undefined;
      const policy = options.case ?? (kind === 'cookie' ? 'preserve' : 'lower');
      return (raw) => normalizeOpaqueId(raw, pattern ? { case: policy, pattern } : { case: policy });
    }
    case 'person_name':
      return (raw) => normalizePersonName(raw);
    case 'postal_code':
      return (raw, context) => normalizePostalCode(raw, context);
    case 'country':
      return (raw) => normalizeCountry(raw);
    case 'date_of_birth':
      return options.earliest === undefined
        ? (raw, context) => normalizeDateOfBirth(raw, context)
        : (raw, context) => normalizeDateOfBirth(raw, { ...context, earliest: options.earliest as string });
    case 'text':
      return (raw) => normalizeFreeText(raw);
  }
}

const JUNK_CHECKS: Record<NormalizerKind, (canonical: string) => boolean> = {
  email: isJunkEmail,
  // Checked inside the phone normalizer, on the national number it parses.
  phone: never,
  device_id: isJunkDeviceId,
  cookie: isPlaceholderText,
  custom: isPlaceholderText,
  person_name: isPlaceholderText,
  postal_code: never,
  country: never,
  date_of_birth: never,
  text: isPlaceholderText,
};
