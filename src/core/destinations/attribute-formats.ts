/**
 * Platform forms of the attributes and device IDs that go with contact data: names, postal codes,
 * country, city, state, date of birth, gender, mobile advertising IDs, X handles and external IDs.
 * Each builds on idgraph's canonical normalizer and then applies the platform's own rule.
 */
import { normalizeCountry } from '../normalize/country.js';
import { normalizeDateOfBirth } from '../normalize/date-of-birth.js';
import { normalizeDeviceId } from '../normalize/device-id.js';
import { normalizePersonName } from '../normalize/person-name.js';
import { normalizePostalCode } from '../normalize/postal-code.js';
import { foldDiacritics } from '../normalize/text-basics.js';
import { CA_PROVINCE_CODES } from './ca-provinces.js';
import { type FieldFormat, formatted, refusedBy } from './types.js';
import { US_STATE_CODES } from './us-states.js';

/** Meta: lowercase, letters only (UTF-8 kept), titles and suffixes dropped: "Mary-Ann" -> "maryann". */
export const compactName: FieldFormat = (raw) => {
  const result = normalizePersonName(raw);
  if (!result.ok) return refusedBy(result.reason === 'EMPTY' ? 'EMPTY' : 'NAME_EMPTY_AFTER_NORMALIZATION');
  return formatted(result.key);
};

/** Google: lowercase, no prefixes ("Mrs.") or suffixes ("Jr."), inner spaces and hyphens kept. */
export const readableName: FieldFormat = (raw) => {
  const result = normalizePersonName(raw);
  if (!result.ok) return refusedBy(result.reason === 'EMPTY' ? 'EMPTY' : 'NAME_EMPTY_AFTER_NORMALIZATION');
  return formatted(result.value);
};

export type UkPostcodeForm = 'full' | 'sector';

/**
 * Meta `zp`: lowercase, no spaces; US ZIP+4 to the five-digit ZIP. For UK postcodes Meta's docs ask
 * for area/district/sector ("sw1w0") while its SDK sends the full code ("sw1w0ny"); `ukForm` picks.
 */
export function compactPostalCode(ukForm: UkPostcodeForm = 'full'): FieldFormat {
  return (raw, context) => {
    const compact = raw.toLowerCase().replace(/[\s-]/g, '');
    if (compact === '') return refusedBy('EMPTY');
    if (compact.length < 2) return refusedBy('ZIP_TOO_SHORT');
    if (/^\d{9}$/.test(compact) && (context.country ?? 'US') === 'US') return formatted(compact.slice(0, 5));
    const result = normalizePostalCode(raw, context.country ? { country: context.country } : {});
    if (!result.ok) return refusedBy('ZIP_TOO_SHORT');
    const key = result.key.toLowerCase();
    if (context.country === 'GB' && ukForm === 'sector') return formatted(key.slice(0, -2));
    return formatted(key);
  };
}

/** Google: the postal code as the country writes it; sent in clear, never hashed. */
export const plainPostalCode: FieldFormat = (raw, context) => {
  const result = normalizePostalCode(raw, context.country ? { country: context.country } : {});
  if (!result.ok) return refusedBy(result.reason === 'EMPTY' ? 'EMPTY' : 'ZIP_TOO_SHORT');
  return formatted(result.value);
};

/** ISO 3166-1 alpha-2 from a code or a name ("United States", "UK" -> GB); `lower` for Meta. */
export function countryCode(letterCase: 'lower' | 'upper'): FieldFormat {
  return (raw) => {
    const result = normalizeCountry(raw);
    if (!result.ok) return refusedBy(result.reason === 'EMPTY' ? 'EMPTY' : 'COUNTRY_NOT_ISO2');
    return formatted(letterCase === 'lower' ? result.value.toLowerCase() : result.value);
  };
}

/** Meta `ct`: lowercase letters only, no spaces or punctuation ("New York" -> "newyork"). */
export const compactCity: FieldFormat = (raw) => {
  const city = raw
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
  return city === '' ? refusedBy('EMPTY') : formatted(city);
};

/**
 * Meta `st`: the two-letter code, lowercase [M-CIP]; US state and Canadian province names become their
 * postal code ("Québec" -> "qc", accents folded first so the name is still found) [M-PB]. Other
 * regions keep their compact name, as Meta asks for states outside the US.
 */
export const stateCode: FieldFormat = (raw) => {
  const compact = foldDiacritics(raw)
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  if (compact === '') return refusedBy('EMPTY');
  const code = compact.length === 2 ? compact : (US_STATE_CODES[compact] ?? CA_PROVINCE_CODES[compact]);
  return code ? formatted(code) : formatted(compact);
};

/** Meta `db`: YYYYMMDD. */
export const compactDateOfBirth: FieldFormat = (raw, context) => {
  const result = normalizeDateOfBirth(raw, context.country ? { country: context.country } : {});
  if (!result.ok) return refusedBy(result.reason === 'EMPTY' ? 'EMPTY' : 'DOB_INVALID');
  return formatted(result.value.replaceAll('-', ''));
};

/** IDFA / GAID: lowercase, hyphens kept (uppercase and lowercase hash differently). */
export const advertisingId: FieldFormat = (raw) => {
  const result = normalizeDeviceId(raw);
  if (result.ok) return formatted(result.value);
  if (result.reason === 'MAID_ZEROED') return refusedBy('MAID_ZEROED');
  return refusedBy(result.reason === 'EMPTY' ? 'EMPTY' : 'MAID_FORMAT');
};

const ANDROID_ID = /^[0-9a-f]{16}$/i;

/**
 * X device IDs: IDFA and AdID as above, and also the 16-hex Android ID, which X takes "as on the
 * device" [X-UD], so it is sent exactly as given (only trimmed).
 */
export const xDeviceId: FieldFormat = (raw, context) => {
  const id = raw.trim();
  return ANDROID_ID.test(id) ? formatted(id) : advertisingId(raw, context);
};

/** Meta `ge`: "m" or "f"; its SDK knows "male", "female", "m" and "f" in any case [M-SDK][M-PB]. */
export const genderCode: FieldFormat = (raw) => {
  const word = raw.toLowerCase().replace(/[^a-z]/g, '');
  if (word === '') return refusedBy('EMPTY');
  if (word === 'm' || word === 'male') return formatted('m');
  if (word === 'f' || word === 'female') return formatted('f');
  return refusedBy('GENDER_INVALID');
};

/** X handles: without "@", lowercase; X allows letters, digits and "_" up to 15 characters. */
export const xHandle: FieldFormat = (raw) => {
  const handle = raw.trim().replace(/^@/, '').toLowerCase();
  if (handle === '') return refusedBy('EMPTY');
  return /^[a-z0-9_]{1,15}$/.test(handle) ? formatted(handle) : refusedBy('HANDLE_INVALID');
};

/** Meta `extern_id`: the advertiser's own ID, sent unhashed and as given, only trimmed [RS-FB]. */
export const advertiserId: FieldFormat = (raw) => {
  const id = raw.trim();
  return id === '' ? refusedBy('EMPTY') : formatted(id);
};

/** Amazon externalId and similar: `[0-9a-zA-Z-_]{1,128}`, sent as given. */
export const externalId: FieldFormat = (raw) => {
  const id = raw.trim();
  if (id === '') return refusedBy('EMPTY');
  return /^[0-9A-Za-z_-]{1,128}$/.test(id) ? formatted(id) : refusedBy('EXTERNAL_ID_INVALID');
};
