/**
 * The canonical-value vectors of ../shared/reference/normalization-vectors.md (row numbers in the
 * descriptions). Destination-specific forms (hashing, digits without "+", dropped +tags on any
 * domain) belong to the destination layer and are not asserted here; where a row's canonical value
 * differs from the destination's, the comment says how.
 */
import { describe, expect, it } from 'vitest';
import { createNormalizer, type NormalizerKind } from '../../../src/core/normalize/normalizers.js';

interface Vector {
  description: string;
  kind: NormalizerKind;
  input: string;
  country?: string;
  value?: string;
  key?: string;
  reason?: string;
}

const vectors: Vector[] = [
  { description: '#1 email lowercased', kind: 'email', input: 'John_Smith@gmail.com', value: 'john_smith@gmail.com' },
  {
    description: '#2 gmail address kept as written, key folds dots and +tag',
    kind: 'email',
    input: 'cloudy.sf+shop@gmail.com',
    value: 'cloudy.sf+shop@gmail.com',
    key: 'cloudysf@gmail.com',
  },
  { description: '#3 email case', kind: 'email', input: 'Person@Example.com', reason: 'JUNK_VALUE' },
  {
    description: '#4 gmail dots and +tag (Google form as key)',
    kind: 'email',
    input: 'cloudy.sanfrancisco+shopping@gmail.com',
    key: 'cloudysanfrancisco@gmail.com',
  },
  {
    description: '#5 non-gmail untouched',
    kind: 'email',
    input: 'user.name+NYC@Example.co',
    value: 'user.name+nyc@example.co',
    key: 'user.name+nyc@example.co',
  },
  {
    description: '#6 googlemail too',
    kind: 'email',
    input: 'J.Doe@GoogleMail.com',
    value: 'j.doe@googlemail.com',
    key: 'jdoe@gmail.com',
  },
  { description: '#7 UID2 lowercase', kind: 'email', input: 'MyEmail@example.co', value: 'myemail@example.co' },
  { description: '#8 UID2 gmail', kind: 'email', input: 'Jane.Saoirse@gmail.com', key: 'janesaoirse@gmail.com' },
  { description: '#11 invalid email', kind: 'email', input: 'invalid email string', reason: 'EMAIL_SYNTAX' },
  { description: '#14 phone with +', kind: 'phone', input: '+1 (555) 123-4567', value: '+15551234567' },
  { description: '#15 no country code, no country', kind: 'phone', input: '5551234567', reason: 'PHONE_NO_COUNTRY' },
  { description: '#15 no country code, US', kind: 'phone', input: '5551234567', country: 'US', value: '+15551234567' },
  {
    description: '#16 German trunk zero',
    kind: 'phone',
    input: '0176-54648789',
    country: 'DE',
    value: '+4917654648789',
  },
  { description: '#16 no country: not guessed', kind: 'phone', input: '0176-54648789', reason: 'PHONE_NO_COUNTRY' },
  { description: '#17 too short', kind: 'phone', input: '123', country: 'US', reason: 'PHONE_LENGTH' },
  { description: '#18 UK +44', kind: 'phone', input: '+44 844 412 4653', value: '+448444124653' },
  { description: '#19 00 international prefix', kind: 'phone', input: '0044 20 7183 8750', value: '+442071838750' },
  {
    description: '#20 US without country code',
    kind: 'phone',
    input: '(657)777-0000',
    country: 'US',
    value: '+16577770000',
  },
  { description: '#21 Armenia', kind: 'phone', input: '+374-93-828222', value: '+37493828222' },
  { description: '#22 E.164 with +', kind: 'phone', input: '(800)555-0100', country: 'US', value: '+18005550100' },
  { description: '#23 leading 1', kind: 'phone', input: '1 (234) 567-8901', country: 'US', value: '+12345678901' },
  { description: '#24 AU trunk zero', kind: 'phone', input: '(02) 1234 5678', country: 'AU', value: '+61212345678' },
  {
    description: '#25 name whitespace (key)',
    kind: 'person_name',
    input: '  John Smith  ',
    value: 'john smith',
    key: 'johnsmith',
  },
  {
    description: '#26 name punctuation (key)',
    kind: 'person_name',
    input: 'Mary-Ann',
    value: 'mary-ann',
    key: 'maryann',
  },
  { description: '#27 UTF-8 kept', kind: 'person_name', input: 'Zoë', value: 'zoë', key: 'zoë' },
  { description: '#28 no title', kind: 'person_name', input: 'Mrs. Jane', key: 'jane' },
  { description: '#29 no suffix', kind: 'person_name', input: 'Smith Jr.', key: 'smith' },
  { description: '#30 ZIP+4', kind: 'postal_code', input: '  12345-6789  ', country: 'US', value: '12345' },
  { description: '#31 too short', kind: 'postal_code', input: '1', reason: 'POSTCODE_INVALID' },
  {
    description: '#32 UK postcode',
    kind: 'postal_code',
    input: 'SW1W 0NY',
    country: 'GB',
    value: 'SW1W 0NY',
    key: 'SW1W0NY',
  },
  { description: '#33 US postal', kind: 'postal_code', input: '94045', country: 'US', value: '94045' },
  { description: '#34 country name', kind: 'country', input: '  United States  ', value: 'US' },
  { description: '#35 Germany', kind: 'country', input: 'Germany', value: 'DE' },
  { description: '#36 UK is GB', kind: 'country', input: 'UK', value: 'GB' },
  { description: '#39 date of birth', kind: 'date_of_birth', input: '01/15/1990', value: '1990-01-15' },
  {
    description: '#40 MAID lowercase',
    kind: 'device_id',
    input: 'AECE52E7-03EE-455A-B3C4-E57283966239',
    value: 'aece52e7-03ee-455a-b3c4-e57283966239',
  },
  {
    description: '#41 MAID unchanged',
    kind: 'device_id',
    input: '5f3a2b18-9c4d-4e7f-b8e2-17d3a1e69b25',
    value: '5f3a2b18-9c4d-4e7f-b8e2-17d3a1e69b25',
  },
  {
    description: '#43 zeroed MAID',
    kind: 'device_id',
    input: '00000000-0000-0000-0000-000000000000',
    reason: 'MAID_ZEROED',
  },
];

describe('normalization vectors', () => {
  it.each(vectors)('$description', ({ kind, input, country, value, key, reason }) => {
    const result = createNormalizer(kind)(input, country ? { country } : {});
    if (reason) {
      expect(result).toEqual({ ok: false, reason });
      return;
    }
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    if (value !== undefined) expect(result.value).toBe(value);
    if (key !== undefined) expect(result.key).toBe(key);
  });
});
