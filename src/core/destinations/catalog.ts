/**
 * The destinations idgraph prepares lists for, as documented by each platform (sources in
 * ../shared/reference/destinations.md, tags in brackets). Priors are soft: drawn from the published
 * anecdotal ranges (20-60% overall; Facebook 30-50%; Google personal email 40-70% vs business
 * 10-30%) and meant to be recalibrated against what each platform reports back.
 */
import {
  advertiserId,
  advertisingId,
  compactCity,
  compactDateOfBirth,
  compactName,
  compactPostalCode,
  countryCode,
  externalId,
  genderCode,
  plainPostalCode,
  readableName,
  stateCode,
  xDeviceId,
  xHandle,
} from './attribute-formats.js';
import {
  type DestinationId,
  type DestinationProfile,
  type FieldSpec,
  type LegacyHash,
  prior,
} from './destination-profile.js';
import { emailFormat } from './email-formats.js';
import { outsideEu, phoneFormat } from './phone-formats.js';
import type { FieldFormat, HashAlgorithm } from './types.js';

const field = (format: FieldFormat, hash: HashAlgorithm, header: string, maxPerPerson = 1): FieldSpec => ({
  format,
  hash,
  header,
  maxPerPerson,
});

const HEX = 'sha256_hex';
const MD5: readonly LegacyHash[] = ['md5_hex'];

export const DESTINATIONS: Readonly<Record<DestinationId, DestinationProfile>> = {
  // [M-CIP][M-PB][M-SDK][RS-FB]: contact fields hashed, madid and extern_id in clear; facebook.com emails
  // not added; 64- and 32-hex values pass through as already hashed.
  meta: {
    id: 'meta',
    name: 'Meta Custom Audiences',
    fields: {
      email: field(emailFormat({ rules: 'plain', excludedDomains: ['facebook.com'] }), HEX, 'email', 3),
      phone: field(phoneFormat('digits'), HEX, 'phone', 3),
      first_name: field(compactName, HEX, 'fn'),
      last_name: field(compactName, HEX, 'ln'),
      postal_code: field(compactPostalCode('full'), HEX, 'zip'),
      city: field(compactCity, HEX, 'ct'),
      state: field(stateCode, HEX, 'st'),
      country: field(countryCode('lower'), HEX, 'country'),
      dob: field(compactDateOfBirth, HEX, 'dob'),
      maid: field(advertisingId, 'none', 'madid', 3),
      gender: field(genderCode, HEX, 'gen'),
      external_id: field(advertiserId, 'none', 'extern_id'),
    },
    keys: [
      { name: 'email', fields: ['email'], prior: prior(0.3, 0.45, 0.6) },
      { name: 'phone', fields: ['phone'], prior: prior(0.25, 0.4, 0.55) },
      { name: 'maid', fields: ['maid'], prior: prior(0.2, 0.35, 0.5) },
      { name: 'name_postal_code', fields: ['first_name', 'last_name', 'postal_code'], prior: prior(0.05, 0.1, 0.2) },
    ],
    minimumMatchedPeople: 100,
    minimumNote: 'Meta advises against audiences under 100 people [M-HELP]',
    settleHours: 24,
    workEmailFactor: 0.5,
    acceptsPrehashed: true,
    legacyHashes: {
      email: MD5,
      phone: MD5,
      first_name: MD5,
      last_name: MD5,
      postal_code: MD5,
      city: MD5,
      state: MD5,
      country: MD5,
      dob: MD5,
      gender: MD5,
    },
  },
  // [G-DM][G-EC][G-TPL]: gmail rules, E.164 with "+", address needs all four parts, country and postal code in clear.
  google: {
    id: 'google',
    name: 'Google Customer Match',
    fields: {
      email: field(emailFormat({ rules: 'google' }), HEX, 'Email', 3),
      phone: field(phoneFormat('e164'), HEX, 'Phone', 3),
      first_name: field(readableName, HEX, 'First Name'),
      last_name: field(readableName, HEX, 'Last Name'),
      country: field(countryCode('upper'), 'none', 'Country'),
      postal_code: field(plainPostalCode, 'none', 'Zip'),
      maid: field(advertisingId, 'none', 'Mobile Device ID'),
    },
    keys: [
      { name: 'email', fields: ['email'], prior: prior(0.4, 0.55, 0.7) },
      { name: 'phone', fields: ['phone'], prior: prior(0.2, 0.35, 0.5) },
      {
        name: 'address',
        fields: ['first_name', 'last_name', 'country', 'postal_code'],
        prior: prior(0.1, 0.2, 0.3),
      },
      { name: 'maid', fields: ['maid'], prior: prior(0.2, 0.3, 0.45) },
    ],
    minimumMatchedPeople: 100,
    minimumNote: '100 users active in the last 30 days per network [G-SIZE]',
    settleHours: 48,
    workEmailFactor: 0.35,
    acceptsPrehashed: true,
  },
  // [TT-IDS][TT-CF]: +tag dropped on any domain, digits-only phone with country code, MAID one case.
  tiktok: {
    id: 'tiktok',
    name: 'TikTok Custom Audiences',
    fields: {
      email: field(emailFormat({ rules: 'tiktok' }), HEX, 'email'),
      phone: field(phoneFormat('digits'), HEX, 'phone'),
      maid: field(advertisingId, HEX, 'maid'),
    },
    keys: [
      { name: 'email', fields: ['email'], prior: prior(0.2, 0.35, 0.5) },
      { name: 'phone', fields: ['phone'], prior: prior(0.2, 0.35, 0.5) },
      { name: 'maid', fields: ['maid'], prior: prior(0.25, 0.4, 0.55) },
    ],
    minimumMatchedPeople: 1000,
    minimumNote: 'the file needs 1,000 entries and the audience 1,000 matched users [TT-CF]',
    settleHours: 48,
    workEmailFactor: 0.5,
    acceptsPrehashed: true,
  },
  // [LI-REQ][LI-API][LI-TEAL]: SHA-256 emails, Google AID; first + last name when there is no email.
  linkedin: {
    id: 'linkedin',
    name: 'LinkedIn Matched Audiences',
    fields: {
      email: field(emailFormat({ rules: 'plain' }), HEX, 'email'),
      maid: field(advertisingId, 'none', 'googleaid'),
      first_name: field(readableName, 'none', 'firstname'),
      last_name: field(readableName, 'none', 'lastname'),
      country: field(countryCode('upper'), 'none', 'country'),
    },
    keys: [
      // Work addresses are what LinkedIn members register with, so no work-email penalty here.
      { name: 'email', fields: ['email'], prior: prior(0.25, 0.4, 0.55) },
      { name: 'maid', fields: ['maid'], prior: prior(0.1, 0.2, 0.3) },
      { name: 'name', fields: ['first_name', 'last_name'], prior: prior(0.05, 0.1, 0.2) },
    ],
    minimumMatchedPeople: 300,
    minimumNote: '300 uploaded rows and 300 matched members [LI-REQ]',
    settleHours: 48,
    workEmailFactor: 1,
    acceptsPrehashed: true,
  },
  // [SN-CAPI][SN-CL][SN-SF]: trim + lowercase email, digits-only phone without 00 or trunk 0, lowercase MAID.
  snapchat: {
    id: 'snapchat',
    name: 'Snapchat Customer Lists',
    fields: {
      email: field(emailFormat({ rules: 'plain' }), HEX, 'EMAIL_SHA256'),
      phone: field(phoneFormat('digits'), HEX, 'PHONE_SHA256'),
      maid: field(advertisingId, HEX, 'MOBILE_AD_ID_SHA256'),
    },
    keys: [
      { name: 'email', fields: ['email'], prior: prior(0.15, 0.3, 0.45) },
      { name: 'phone', fields: ['phone'], prior: prior(0.2, 0.35, 0.5) },
      { name: 'maid', fields: ['maid'], prior: prior(0.25, 0.4, 0.55) },
    ],
    minimumMatchedPeople: 1000,
    minimumNote: '1,000 matched users [SN-SF]',
    settleHours: 48,
    workEmailFactor: 0.5,
    acceptsPrehashed: true,
  },
  // [TEAL-PIN][PIN-API]: emails (plain, SHA-256 or MD5) and MAIDs (lowercase, 8-4-4-4-12; SHA-1 taken too).
  pinterest: {
    id: 'pinterest',
    name: 'Pinterest Customer Lists',
    fields: {
      email: field(emailFormat({ rules: 'plain' }), HEX, 'email'),
      maid: field(advertisingId, HEX, 'maid'),
    },
    keys: [
      { name: 'email', fields: ['email'], prior: prior(0.2, 0.35, 0.5) },
      { name: 'maid', fields: ['maid'], prior: prior(0.15, 0.25, 0.4) },
    ],
    minimumMatchedPeople: 100,
    minimumNote: 'the list must contain 100 Pinterest accounts [PIN-API]',
    settleHours: 48,
    workEmailFactor: 0.5,
    acceptsPrehashed: true,
    // A 32-hex MAID stays a UUID without hyphens: it cannot be told apart from an MD5 of one.
    legacyHashes: { email: MD5, maid: ['sha1_hex'] },
  },
  // [X-UD][X-AUD]: SHA-256 lowercase hex, no salt; handle without "@"; IDFA lowercase with dashes,
  // Android ID as on the device.
  x: {
    id: 'x',
    name: 'X Tailored Audiences',
    fields: {
      email: field(emailFormat({ rules: 'plain' }), HEX, 'email'),
      x_handle: field(xHandle, HEX, 'handle'),
      maid: field(xDeviceId, HEX, 'device_id'),
    },
    keys: [
      { name: 'email', fields: ['email'], prior: prior(0.15, 0.3, 0.45) },
      { name: 'x_handle', fields: ['x_handle'], prior: prior(0.4, 0.6, 0.8) },
      { name: 'maid', fields: ['maid'], prior: prior(0.15, 0.25, 0.4) },
    ],
    minimumMatchedPeople: 100,
    minimumNote: '100 users active in the last 90 days [X-AUD]',
    settleHours: 8,
    workEmailFactor: 0.5,
    acceptsPrehashed: true,
  },
  // [UID2][TTD-SEG][TEAL-TTD]: UID2 normalization (gmail.com only), phone E.164 with "+" and not in the
  // EU, SHA-256 as Base64; emails and phones may arrive already hashed.
  the_trade_desk: {
    id: 'the_trade_desk',
    name: 'The Trade Desk CRM (UID2)',
    fields: {
      email: field(emailFormat({ rules: 'uid2' }), 'sha256_base64', 'email_hash'),
      phone: field(outsideEu(phoneFormat('e164')), 'sha256_base64', 'phone_hash'),
    },
    keys: [
      // Every valid email becomes a UID2; reach depends on that UID2 appearing in bid requests.
      { name: 'email', fields: ['email'], prior: prior(0.25, 0.4, 0.6) },
      { name: 'phone', fields: ['phone'], prior: prior(0.15, 0.3, 0.45) },
    ],
    minimumMatchedPeople: 1500,
    minimumNote: '1,500 unique members (via Segment) [TTD-SEG]',
    settleHours: 24,
    workEmailFactor: 0.6,
    acceptsPrehashed: true,
  },
  // [AMZ-API][TEAL-AMZ][LYT-AMZ]: hashed email, phone, name and address keyed by externalId.
  amazon: {
    id: 'amazon',
    name: 'Amazon DSP Audiences',
    fields: {
      external_id: field(externalId, 'none', 'externalId'),
      email: field(emailFormat({ rules: 'plain' }), HEX, 'email'),
      phone: field(phoneFormat('digits'), HEX, 'phone'),
      first_name: field(compactName, HEX, 'firstName'),
      last_name: field(compactName, HEX, 'lastName'),
      postal_code: field(compactPostalCode('full'), HEX, 'postalCode'),
      country: field(countryCode('upper'), 'none', 'countryCode'),
    },
    keys: [
      { name: 'email', fields: ['email'], prior: prior(0.3, 0.45, 0.6) },
      { name: 'phone', fields: ['phone'], prior: prior(0.2, 0.35, 0.5) },
      { name: 'name_postal_code', fields: ['first_name', 'last_name', 'postal_code'], prior: prior(0.05, 0.1, 0.2) },
    ],
    minimumMatchedPeople: 1000,
    minimumNote: 'no published minimum; mappings must be 7 days old before use [LYT-AMZ]; 1,000 assumed',
    settleHours: 168,
    workEmailFactor: 0.5,
    acceptsPrehashed: true,
  },
};

export function isDestinationId(name: string): name is DestinationId {
  return Object.hasOwn(DESTINATIONS, name);
}
