import { describe, expect, it } from 'vitest';
import { createNormalizer, type NormalizerKind } from '../../../src/core/normalize/normalizers.js';

interface Case {
  description: string;
  input: unknown;
  context?: Record<string, string>;
  value?: string;
  key?: string;
  reason?: string;
}

function table(kind: NormalizerKind, cases: Case[], options = {}) {
  const normalize = createNormalizer(kind, options);
  it.each(cases)('$description', ({ input, context, value, key, reason }) => {
    const result = normalize(input, context ?? {});
    if (reason) expect(result).toEqual({ ok: false, reason });
    else expect(result).toEqual({ ok: true, value, key: key ?? value });
  });
}

describe('email', () => {
  table('email', [
    { description: 'trims and lowercases', input: '  Ann.Lee@Company.CO.UK ', value: 'ann.lee@company.co.uk' },
    { description: 'mailto: prefix', input: 'mailto:ann@company.io', value: 'ann@company.io' },
    {
      description: 'internationalized domain: Unicode value, punycode key',
      input: 'Hans@Bücher.de',
      value: 'hans@bücher.de',
      key: 'hans@xn--bcher-kva.de',
    },
    {
      description: 'punycode input matches the Unicode form',
      input: 'hans@xn--bcher-kva.de',
      value: 'hans@bücher.de',
      key: 'hans@xn--bcher-kva.de',
    },
    {
      description: 'outlook +tag folded in the key only',
      input: 'kim+news@Outlook.com',
      value: 'kim+news@outlook.com',
      key: 'kim@outlook.com',
    },
    {
      description: 'yahoo keeps its hyphen and dots',
      input: 'first-last.x@yahoo.com',
      value: 'first-last.x@yahoo.com',
    },
    { description: 'two @', input: 'a@b@c.com', reason: 'EMAIL_SYNTAX' },
    { description: 'no top-level domain', input: 'ann@localhost', reason: 'EMAIL_SYNTAX' },
    { description: 'double dot in local part', input: 'ann..lee@company.com', reason: 'EMAIL_SYNTAX' },
    { description: 'space inside', input: 'ann lee@company.com', reason: 'EMAIL_SYNTAX' },
    { description: 'placeholder address', input: 'TEST@test.com', reason: 'JUNK_VALUE' },
    { description: 'noreply local part', input: 'noreply@shop.fr', reason: 'JUNK_VALUE' },
    { description: 'reserved .invalid domain', input: 'ann@mail.invalid', reason: 'JUNK_VALUE' },
    { description: 'empty', input: '   ', reason: 'EMPTY' },
    { description: 'not a string', input: { email: 'x' }, reason: 'EMPTY' },
    { description: 'very long', input: `${'a'.repeat(600)}@x.com`, reason: 'TOO_LONG' },
  ]);
});

describe('phone', () => {
  table('phone', [
    {
      description: 'UK mobile, national form',
      input: '07911 123456',
      context: { country: 'GB' },
      value: '+447911123456',
    },
    {
      description: 'French number with dots',
      input: '01.42.68.53.00',
      context: { country: 'FR' },
      value: '+33142685300',
    },
    {
      description: 'number given as a JSON number',
      input: 7911123456,
      context: { country: 'GB' },
      value: '+447911123456',
    },
    {
      description: '+ wins over the default country',
      input: '+33 1 42 68 53 00',
      context: { country: 'US' },
      value: '+33142685300',
    },
    {
      description: 'letters are not a phone',
      input: 'call me maybe',
      context: { country: 'US' },
      reason: 'PHONE_INVALID',
    },
    { description: 'all zeros', input: '0000000000', context: { country: 'US' }, reason: 'JUNK_VALUE' },
    { description: 'straight run', input: '1234567890', context: { country: 'US' }, reason: 'JUNK_VALUE' },
    { description: 'too many digits', input: '+1 234 567 890 123 456 789', reason: 'PHONE_LENGTH' },
    { description: 'impossible for the country', input: '+44 12', reason: 'PHONE_LENGTH' },
  ]);
});

// Line types by the numbering plans (libphonenumber's metadata), the numbers from the plans' own
// ranges: UK 07 mobiles and 020 London lines, French 06 and 01, German 017x and 030, and +1, where a
// plan cannot tell a mobile from a landline.
describe('phone with line_types', () => {
  describe('mobiles only', () => {
    table(
      'phone',
      [
        { description: 'a UK mobile', input: '07911 123456', context: { country: 'GB' }, value: '+447911123456' },
        { description: 'a French mobile', input: '06 12 34 56 78', context: { country: 'FR' }, value: '+33612345678' },
        { description: 'a German mobile', input: '+49 176 12345678', value: '+4917612345678' },
        {
          description: 'a London landline',
          input: '020 7183 8750',
          context: { country: 'GB' },
          reason: 'PHONE_LINE_TYPE',
        },
        {
          description: 'a Paris landline',
          input: '01 42 68 53 00',
          context: { country: 'FR' },
          reason: 'PHONE_LINE_TYPE',
        },
        { description: 'a Berlin landline', input: '+49 30 1234567', reason: 'PHONE_LINE_TYPE' },
        { description: 'a +1 number, which the plan cannot tell', input: '+1 415 455 7473', reason: 'PHONE_LINE_TYPE' },
        { description: 'a placeholder still', input: '0000000000', context: { country: 'GB' }, reason: 'JUNK_VALUE' },
      ],
      { lineTypes: ['mobile'] },
    );
  });
  describe('mobiles and numbers that may be mobiles', () => {
    table(
      'phone',
      [
        { description: 'a +1 number', input: '(415) 455-7473', context: { country: 'US' }, value: '+14154557473' },
        {
          description: 'a London landline',
          input: '020 7183 8750',
          context: { country: 'GB' },
          reason: 'PHONE_LINE_TYPE',
        },
      ],
      { lineTypes: ['mobile', 'fixed_line_or_mobile'] },
    );
  });
});

describe('device_id', () => {
  table('device_id', [
    {
      description: 'compact hex is hyphenated',
      input: 'AECE52E703EE455AB3C4E57283966239',
      value: 'aece52e7-03ee-455a-b3c4-e57283966239',
    },
    {
      description: 'braces removed',
      input: '{4b61639e-1f55-4c8a-9d3e-2b7c6a1d0e9f}',
      value: '4b61639e-1f55-4c8a-9d3e-2b7c6a1d0e9f',
    },
    { description: 'all F', input: 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', reason: 'JUNK_VALUE' },
    { description: 'not a UUID', input: 'device-123', reason: 'MAID_SYNTAX' },
  ]);
});

describe('cookie and custom IDs', () => {
  table('cookie', [
    { description: 'case preserved', input: ' GA1.2.AbC ', value: 'GA1.2.AbC' },
    { description: 'placeholder', input: 'undefined', reason: 'JUNK_VALUE' },
  ]);
  table('custom', [{ description: 'lowercased by default', input: 'LOY-123', value: 'loy-123' }]);
  table(
    'custom',
    [
      { description: 'upper case policy and a pattern', input: 'ab12cd34', value: 'AB12CD34' },
      { description: 'pattern refuses', input: 'short', reason: 'ID_PATTERN' },
    ],
    { case: 'upper', pattern: '^[A-Z0-9]{8}$' },
  );
});

describe('person_name', () => {
  table('person_name', [
    { description: 'apostrophe kept in the value', input: 'O’Brien', value: "o'brien", key: 'obrien' },
    {
      description: 'several titles and a suffix',
      input: 'Dr. Prof. Ada Lovelace PhD',
      value: 'ada lovelace',
      key: 'adalovelace',
    },
    { description: 'a title alone is no name', input: 'Mr.', reason: 'NAME_EMPTY' },
    { description: 'punctuation only', input: '***', reason: 'NAME_EMPTY' },
    { description: 'decomposed accents are composed', input: 'Jose\u0301', value: 'josé', key: 'josé' },
    { description: 'non-Latin script', input: '山田 太郎', value: '山田 太郎', key: '山田太郎' },
    { description: 'placeholder', input: 'Unknown', reason: 'JUNK_VALUE' },
  ]);
});

describe('postal_code', () => {
  table('postal_code', [
    {
      description: 'UK without space',
      input: 'ec1a1bb',
      context: { country: 'GB' },
      value: 'EC1A 1BB',
      key: 'EC1A1BB',
    },
    { description: 'UK invalid', input: '12345', context: { country: 'GB' }, reason: 'POSTCODE_INVALID' },
    { description: 'Canada', input: 'k1a0b1', context: { country: 'CA' }, value: 'K1A 0B1', key: 'K1A0B1' },
    { description: 'Netherlands', input: '1234ab', context: { country: 'NL' }, value: '1234 AB', key: '1234AB' },
    { description: 'Germany 5 digits', input: '10115', context: { country: 'DE' }, value: '10115' },
    { description: 'Germany 4 digits', input: '1011', context: { country: 'DE' }, reason: 'POSTCODE_INVALID' },
    { description: 'unknown country: alphanumerics', input: 'ab-12', value: 'AB12' },
  ]);
});

describe('country', () => {
  table('country', [
    { description: 'ISO-2 code', input: 'fr', value: 'FR' },
    { description: 'alpha-3 code', input: 'DEU', value: 'DE' },
    { description: 'native name', input: 'Deutschland', value: 'DE' },
    { description: 'French name with accents', input: 'Royaume-Uni', value: 'GB' },
    { description: 'U.S.A. with dots', input: 'U.S.A.', value: 'US' },
    { description: 'England', input: 'England', value: 'GB' },
    { description: 'unknown', input: 'Atlantis', reason: 'COUNTRY_UNKNOWN' },
    { description: 'withdrawn code', input: 'SU', reason: 'COUNTRY_UNKNOWN' },
  ]);
});

describe('date_of_birth', () => {
  table('date_of_birth', [
    { description: 'ISO date', input: '1990-01-15', value: '1990-01-15' },
    { description: 'ISO date-time', input: '1990-01-15T00:00:00Z', value: '1990-01-15' },
    { description: 'compact', input: '19900115', value: '1990-01-15' },
    { description: 'ambiguous, day first by default', input: '03/04/1990', value: '1990-04-03' },
    {
      description: 'ambiguous, month first in the US',
      input: '03/04/1990',
      context: { country: 'US' },
      value: '1990-03-04',
    },
    { description: 'unambiguous day first', input: '25.12.1985', context: { country: 'US' }, value: '1985-12-25' },
    { description: 'month name', input: '15 Jan 1990', value: '1990-01-15' },
    { description: 'US long form', input: 'January 15, 1990', value: '1990-01-15' },
    { description: 'two-digit year', input: '15/01/90', context: { today: '2026-06-01' }, value: '1990-01-15' },
    { description: 'leap day', input: '2000-02-29', value: '2000-02-29' },
    { description: 'not a leap day', input: '1900-02-29', reason: 'DOB_INVALID' },
    { description: 'month 13', input: '1990-13-01', reason: 'DOB_INVALID' },
    { description: 'before 1900', input: '1850-01-01', reason: 'DOB_OUT_OF_RANGE' },
    { description: 'in the future', input: '2030-01-01', context: { today: '2026-06-01' }, reason: 'DOB_OUT_OF_RANGE' },
    { description: 'words', input: 'yesterday', reason: 'DOB_INVALID' },
  ]);
  describe('with an earlier first date from the rules (historical records)', () => {
    table(
      'date_of_birth',
      [
        { description: 'a nineteenth-century date', input: '1828-03-04', value: '1828-03-04' },
        { description: 'the first date accepted', input: '1800-01-01', value: '1800-01-01' },
        { description: 'the day before it', input: '1799-12-31', reason: 'DOB_OUT_OF_RANGE' },
        {
          description: 'the future still',
          input: '2090-01-01',
          context: { today: '2026-06-01' },
          reason: 'DOB_OUT_OF_RANGE',
        },
      ],
      { earliest: '1800-01-01' },
    );
  });
});
