/**
 * The published normalization vectors (../shared/reference/normalization-vectors.md, numbered as
 * there). Hash prefixes are the ones the platforms publish; full hashes are recomputed by the test.
 */
import { describe, expect, it } from 'vitest';
import { DESTINATIONS } from '../../../src/core/destinations/catalog.js';
import type { DestinationId } from '../../../src/core/destinations/destination-profile.js';
import { normalizeForDestination } from '../../../src/core/destinations/normalize-for-destination.js';
import type { DestinationField } from '../../../src/core/destinations/types.js';

interface Vector {
  n: number;
  dest: DestinationId;
  field: DestinationField;
  input: string;
  country?: string;
  normalized?: string;
  reason?: string;
  uploadPrefix?: string;
  upload?: string;
}

const VECTORS: Vector[] = [
  {
    n: 1,
    dest: 'meta',
    field: 'email',
    input: 'John_Smith@gmail.com',
    normalized: 'john_smith@gmail.com',
    uploadPrefix: '62a14e44f765',
  },
  { n: 2, dest: 'meta', field: 'email', input: 'cloudy.sf+shop@gmail.com', normalized: 'cloudy.sf+shop@gmail.com' },
  {
    n: 3,
    dest: 'snapchat',
    field: 'email',
    input: 'Person@Example.com',
    normalized: 'person@example.com',
    uploadPrefix: '542d2401',
  },
  {
    n: 4,
    dest: 'google',
    field: 'email',
    input: 'cloudy.sanfrancisco+shopping@gmail.com',
    normalized: 'cloudysanfrancisco@gmail.com',
  },
  { n: 5, dest: 'google', field: 'email', input: 'user.name+NYC@Example.com', normalized: 'user.name+nyc@example.com' },
  { n: 6, dest: 'google', field: 'email', input: 'J.Doe@GoogleMail.com', normalized: 'jdoe@googlemail.com' },
  { n: 7, dest: 'the_trade_desk', field: 'email', input: 'MyEmail@example.com', normalized: 'myemail@example.com' },
  {
    n: 8,
    dest: 'the_trade_desk',
    field: 'email',
    input: 'Jane.Saoirse@gmail.com',
    normalized: 'janesaoirse@gmail.com',
  },
  {
    n: 9,
    dest: 'the_trade_desk',
    field: 'email',
    input: 'user@example.com',
    normalized: 'user@example.com',
    upload: 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=',
  },
  { n: 10, dest: 'tiktok', field: 'email', input: 'first-last+promo@yahoo.com', normalized: 'first-last@yahoo.com' },
  { n: 13, dest: 'x', field: 'x_handle', input: '@AdsAPI', normalized: 'adsapi', uploadPrefix: '49e0be2a' },
  { n: 14, dest: 'meta', field: 'phone', input: '+1 (555) 123-4567', normalized: '15551234567' },
  { n: 15, dest: 'meta', field: 'phone', input: '5551234567', reason: 'PHONE_NO_COUNTRY_CODE' },
  { n: 15, dest: 'meta', field: 'phone', input: '5551234567', country: 'US', normalized: '15551234567' },
  { n: 16, dest: 'meta', field: 'phone', input: '0176-54648789', reason: 'PHONE_AMBIGUOUS_TRUNK_ZERO' },
  { n: 16, dest: 'meta', field: 'phone', input: '0176-54648789', country: 'DE', normalized: '4917654648789' },
  { n: 17, dest: 'meta', field: 'phone', input: '123', reason: 'PHONE_LENGTH' },
  {
    n: 18,
    dest: 'snapchat',
    field: 'phone',
    input: '+44 844 412 4653',
    normalized: '448444124653',
    uploadPrefix: 'dc008fda',
  },
  { n: 19, dest: 'snapchat', field: 'phone', input: '0044 20 7183 8750', normalized: '442071838750' },
  { n: 20, dest: 'tiktok', field: 'phone', input: '(657)777-0000', country: 'US', normalized: '16577770000' },
  {
    n: 21,
    dest: 'tiktok',
    field: 'phone',
    input: '374-93-828222',
    normalized: '37493828222',
    uploadPrefix: '65b7e6dc',
  },
  { n: 22, dest: 'google', field: 'phone', input: '(800)555-0100', country: 'US', normalized: '+18005550100' },
  { n: 23, dest: 'the_trade_desk', field: 'phone', input: '1 (234) 567-8901', normalized: '+12345678901' },
  { n: 24, dest: 'the_trade_desk', field: 'phone', input: '(02) 1234 5678', country: 'AU', normalized: '+61212345678' },
  { n: 25, dest: 'meta', field: 'first_name', input: '  John Smith  ', normalized: 'johnsmith' },
  { n: 26, dest: 'meta', field: 'first_name', input: 'Mary-Ann', normalized: 'maryann' },
  { n: 27, dest: 'meta', field: 'first_name', input: 'Zoë', normalized: 'zoë' },
  { n: 28, dest: 'google', field: 'first_name', input: 'Mrs. Jane', normalized: 'jane' },
  { n: 29, dest: 'google', field: 'last_name', input: 'Smith Jr.', normalized: 'smith' },
  { n: 30, dest: 'meta', field: 'postal_code', input: '  12345-6789  ', normalized: '12345' },
  { n: 31, dest: 'meta', field: 'postal_code', input: '1', reason: 'ZIP_TOO_SHORT' },
  { n: 32, dest: 'meta', field: 'postal_code', input: 'SW1W 0NY', country: 'GB', normalized: 'sw1w0ny' },
  { n: 33, dest: 'google', field: 'postal_code', input: '94045', country: 'US', normalized: '94045', upload: '94045' },
  { n: 34, dest: 'meta', field: 'country', input: '  United States  ', normalized: 'us' },
  { n: 35, dest: 'meta', field: 'country', input: 'Germany', normalized: 'de' },
  { n: 36, dest: 'meta', field: 'country', input: 'UK', normalized: 'gb' },
  { n: 37, dest: 'meta', field: 'state', input: '  California  ', normalized: 'ca' },
  { n: 38, dest: 'meta', field: 'city', input: '  New York  ', normalized: 'newyork' },
  { n: 39, dest: 'meta', field: 'dob', input: '01/15/1990', normalized: '19900115' },
  {
    n: 40,
    dest: 'meta',
    field: 'maid',
    input: 'AECE52E7-03EE-455A-B3C4-E57283966239',
    normalized: 'aece52e7-03ee-455a-b3c4-e57283966239',
    upload: 'aece52e7-03ee-455a-b3c4-e57283966239',
  },
  {
    n: 41,
    dest: 'tiktok',
    field: 'maid',
    input: '5f3a2b18-9c4d-4e7f-b8e2-17d3a1e69b25',
    normalized: '5f3a2b18-9c4d-4e7f-b8e2-17d3a1e69b25',
    uploadPrefix: '83dc3f5f',
  },
  {
    n: 42,
    dest: 'x',
    field: 'maid',
    input: '4B61639E-47C4-4F33-9B52-0C1BB5A0F8D2',
    normalized: '4b61639e-47c4-4f33-9b52-0c1bb5a0f8d2',
  },
];

const ALL: DestinationId[] = Object.keys(DESTINATIONS) as DestinationId[];

describe('destination normalization vectors', () => {
  it.each(
    VECTORS.map((v) => [`#${v.n} ${v.dest} ${v.field} ${v.input}${v.country ? ` (${v.country})` : ''}`, v] as const),
  )('%s', (_label, vector) => {
    const result = normalizeForDestination(
      DESTINATIONS[vector.dest],
      vector.field,
      vector.input,
      vector.country ? { country: vector.country } : {},
    );
    if (vector.reason) {
      expect(result).toEqual({ ok: false, reason: vector.reason });
      return;
    }
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.normalized).toBe(vector.normalized);
    if (vector.upload) expect(result.upload).toBe(vector.upload);
    if (vector.uploadPrefix) expect(result.upload.startsWith(vector.uploadPrefix)).toBe(true);
  });

  it('#32 Meta UK postcode: the documented sector form is available too', async () => {
    const { compactPostalCode } = await import('../../../src/core/destinations/attribute-formats.js');
    expect(compactPostalCode('sector')('SW1W 0NY', { country: 'GB' })).toEqual({ ok: true, normalized: 'sw1w0' });
  });

  it('#12 Meta passes a pre-hashed SHA-256 through, lowercased', () => {
    const hash = 'A665A45920422F9D417E4867EFDC4FB8A04A1F3FFF1FA07E998E86F7F7A27AE3';
    expect(normalizeForDestination(DESTINATIONS.meta, 'email', hash)).toMatchObject({
      ok: true,
      upload: hash.toLowerCase(),
      prehashed: true,
    });
  });

  it('refuses an MD5-length hash where SHA-256 is required (Meta, whose SDK passes 32 hex through, is not such a place)', () => {
    expect(normalizeForDestination(DESTINATIONS.snapchat, 'email', 'd41d8cd98f00b204e9800998ecf8427e')).toEqual({
      ok: false,
      reason: 'HASH_WRONG_LENGTH',
    });
    expect(normalizeForDestination(DESTINATIONS.meta, 'email', 'd41d8cd98f00b204e9800998ecf8427e')).toMatchObject({
      ok: true,
      upload: 'd41d8cd98f00b204e9800998ecf8427e',
      prehashed: true,
    });
  });

  it.each(ALL)('#11 %s refuses an invalid email string', (dest) => {
    const result = normalizeForDestination(DESTINATIONS[dest], 'email', 'invalid email string');
    expect(result).toEqual({
      ok: false,
      reason: DESTINATIONS[dest].fields.email ? 'EMAIL_SYNTAX' : 'FIELD_NOT_ACCEPTED',
    });
  });

  it.each(ALL.filter((dest) => DESTINATIONS[dest].fields.maid))('#43 %s refuses the zeroed MAID', (dest) => {
    expect(normalizeForDestination(DESTINATIONS[dest], 'maid', '00000000-0000-0000-0000-000000000000')).toEqual({
      ok: false,
      reason: 'MAID_ZEROED',
    });
  });
});
