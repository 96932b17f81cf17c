/**
 * Edge cases the destination reference states or clearly implies (../shared/reference/destinations.md
 * §1, with the platform sources its tags name), beyond the numbered vectors in vectors.test.ts.
 * Every accepted row pins the exact normalized value and upload. Hashes were computed apart from
 * the code (node:crypto, `createHash('sha256').update(value, 'utf8').digest('hex' | 'base64')`);
 * rows marked "published" match the value the platform's own documentation prints.
 */
import { describe, expect, it } from 'vitest';
import { DESTINATIONS } from '../../../src/core/destinations/catalog.js';
import type { DestinationId } from '../../../src/core/destinations/destination-profile.js';
import { normalizeForDestination } from '../../../src/core/destinations/normalize-for-destination.js';
import type { DestinationField, DestinationReason } from '../../../src/core/destinations/types.js';

interface Accepted {
  description: string;
  dest: DestinationId;
  field: DestinationField;
  input: string;
  country?: string;
  normalized: string;
  upload: string;
  prehashed?: boolean;
  note?: string;
}

interface Refused {
  description: string;
  dest: DestinationId;
  field: DestinationField;
  input: string;
  country?: string;
  reason: DestinationReason;
}

const ACCEPTED: Accepted[] = [
  // Emails
  {
    description: 'Meta trims and lowercases, dots kept [M-PB PIIUtilsTest]',
    dest: 'meta',
    field: 'email',
    input: '  John.Doe@Example.COM  ',
    normalized: 'john.doe@example.com',
    upload: '836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f',
  },
  {
    description: 'Meta keeps a +tag on any domain [M-PB PIIUtilsTest]',
    dest: 'meta',
    field: 'email',
    input: '  Test.User+Tag@EXAMPLE.COM  ',
    normalized: 'test.user+tag@example.com',
    upload: '61c2008e1da48e507546d2faa8e3cdcaad3958f8b667013afdc00d4a2c996369',
  },
  {
    description: 'Meta keeps an IDN domain in Unicode, only lowercased (trim + lowercase only) [M-CIP]',
    dest: 'meta',
    field: 'email',
    input: 'user@BÜCHER.de',
    normalized: 'user@bücher.de',
    upload: 'a6667ab428f538753ae2bcb430005815a8dc028d87c4d53fe5ef7015a7a8e671',
  },
  {
    description: 'a punycode domain stays punycode [M-CIP]',
    dest: 'meta',
    field: 'email',
    input: 'User@XN--BCHER-KVA.de',
    normalized: 'user@xn--bcher-kva.de',
    upload: 'fd50c2839b41cd1f68206c31e8f64cc68b7955d0a3474f81de792fc61e281cd8',
  },
  {
    description: 'Google leaves non-gmail domains untouched, IDN included [G-DM]',
    dest: 'google',
    field: 'email',
    input: 'user@Bücher.de',
    normalized: 'user@bücher.de',
    upload: 'a6667ab428f538753ae2bcb430005815a8dc028d87c4d53fe5ef7015a7a8e671',
  },
  {
    description: 'Google removes inner whitespace too, then the gmail dots [G-DM]',
    dest: 'google',
    field: 'email',
    input: ' J o h n.Doe@Gmail.com ',
    normalized: 'johndoe@gmail.com',
    upload: '06a240d11cc201676da976f7b49341181fd180da37cbe40a77432c0a366c80c3',
  },
  {
    description: 'Google folds googlemail.com and keeps that domain [G-DM]',
    dest: 'google',
    field: 'email',
    input: 'Jane.Doe+Promo@googlemail.com',
    normalized: 'janedoe@googlemail.com',
    upload: '338abf9ef1c8793cadc7bcf51ed595338eb727ed9e06ce3d91d566d60b975937',
  },
  {
    description: 'UID2 gmail.com: dots and +tag dropped (published Base64) [UID2]',
    dest: 'the_trade_desk',
    field: 'email',
    input: 'JaneSaoirse+Work@gmail.com',
    normalized: 'janesaoirse@gmail.com',
    upload: 'ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8=',
  },
  {
    description: 'UID2 other domains keep the +tag (published Base64) [UID2]',
    dest: 'the_trade_desk',
    field: 'email',
    input: 'JaneSaoirse+Work@example.com',
    normalized: 'janesaoirse+work@example.com',
    upload: 'KKruSBUjDNO069iMUVImVQZm6RrAGZKeOtrD9mwogYA=',
  },
  {
    description: 'UID2 other domains keep their dots (published Base64) [UID2]',
    dest: 'the_trade_desk',
    field: 'email',
    input: '  My.Email@example.com ',
    normalized: 'my.email@example.com',
    upload: '4itTvG+HEnTzpiqzejyu1yFPwU1nYhWpaiQvz62hyB8=',
  },
  {
    description: 'UID2 folds gmail.com only, not googlemail.com [UID2]',
    dest: 'the_trade_desk',
    field: 'email',
    input: 'Jane.Doe@GoogleMail.com',
    normalized: 'jane.doe@googlemail.com',
    upload: 'nCdk4a9jZDWkvPKphzOusOAn1ueIVQQzEBUOmdc9NEA=',
  },
  {
    description: 'TikTok drops the +tag but keeps gmail dots [TT-IDS]',
    dest: 'tiktok',
    field: 'email',
    input: 'First.Last+promo@Gmail.com',
    normalized: 'first.last@gmail.com',
    upload: '3fba33b305fe1c0eeaf728b3b7aa3c668ae460a9807da214c47185d5e2befb98',
  },
  {
    description: 'Snap trims and lowercases (published prefix 542d2401) [SN-CAPI]',
    dest: 'snapchat',
    field: 'email',
    input: '  Person@Example.com  ',
    normalized: 'person@example.com',
    upload: '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345',
  },
  ...(['x', 'amazon', 'linkedin', 'pinterest', 'snapchat'] as const).map(
    (dest): Accepted => ({
      description: `${dest} applies no gmail rules: trim + lowercase only [X-UD][TEAL-AMZ][SN-CAPI]`,
      dest,
      field: 'email',
      input: '  Jane.Doe+X@Gmail.com ',
      normalized: 'jane.doe+x@gmail.com',
      upload: '3eebe8d734dcf3f0bec40704e5ca2c3e48b513ad4af65ed70dcd168f425f4f4c',
    }),
  ),
  // Phones
  {
    description: 'Meta strips a "00" international prefix written apart [M-SDK]',
    dest: 'meta',
    field: 'phone',
    input: '00 44 20 7183 8750',
    normalized: '442071838750',
    upload: '8d5f937f3a5590634cbe975951a6aa1543170671ce6e73cce4062f4e8c288417',
  },
  {
    description: 'Snap drops a leading 00 even with a space after it [SN-CAPI]',
    dest: 'snapchat',
    field: 'phone',
    input: '00 44 20 7183 8750',
    normalized: '442071838750',
    upload: '8d5f937f3a5590634cbe975951a6aa1543170671ce6e73cce4062f4e8c288417',
  },
  {
    description: 'a "(0)" trunk hint after the country code is dropped [M-HELP]',
    dest: 'meta',
    field: 'phone',
    input: '+44 (0) 20 7183 8750',
    normalized: '442071838750',
    upload: '8d5f937f3a5590634cbe975951a6aa1543170671ce6e73cce4062f4e8c288417',
  },
  {
    description: 'an extension is not part of the number',
    dest: 'meta',
    field: 'phone',
    input: '+1-555-123-4567 ext. 12',
    normalized: '15551234567',
    upload: 'd6736136ea896c1bfdc553e0e86e702c70d060d805696ca3e4e9e0961353860a',
  },
  {
    description: 'Snap drops the trunk 0 and adds the country code [SN-CAPI]',
    dest: 'snapchat',
    field: 'phone',
    input: '07700 900123',
    country: 'GB',
    normalized: '447700900123',
    upload: '033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd',
  },
  {
    description: 'TikTok removes the "+" and symbols [TT-IDS]',
    dest: 'tiktok',
    field: 'phone',
    input: '+1 (657) 777-0000',
    normalized: '16577770000',
    upload: '8d7bdaaf75196f351d22942fc0dd79304ffabc3eaf3339460ef9da0773e3aec2',
  },
  {
    description: 'Google: digits that already carry a valid country code, noted [G-DM]',
    dest: 'google',
    field: 'phone',
    input: '1-800-555-0100',
    normalized: '+18005550100',
    upload: 'fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30',
    note: 'COUNTRY_CODE_READ_FROM_DIGITS',
  },
  {
    description: 'UID2 phone, published Base64 [UID2]',
    dest: 'the_trade_desk',
    field: 'phone',
    input: '1 (234) 567-8901',
    normalized: '+12345678901',
    upload: 'EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=',
    note: 'COUNTRY_CODE_READ_FROM_DIGITS',
  },
  {
    description: 'UID2 phone outside the EU: Base64 of the SHA-256 bytes [UID2]',
    dest: 'the_trade_desk',
    field: 'phone',
    input: '(02) 1234 5678',
    country: 'AU',
    normalized: '+61212345678',
    upload: 'J24LFuwzgT5ElsjMwcqE40S8VtUoWXFCZgkq+PDSD+c=',
  },
  {
    description: 'The Trade Desk takes UK phones (not EU) [TEAL-TTD]',
    dest: 'the_trade_desk',
    field: 'phone',
    input: '+44 20 7183 8750',
    normalized: '+442071838750',
    upload: '5jHCU0Qoxsm0jCFnYEqJgwRgheQ6LADtdIczxUTAu00=',
  },
  // Names
  {
    description: 'Meta ln: whitespace removed, lowercase [M-PB PIIUtilsTest]',
    dest: 'meta',
    field: 'last_name',
    input: '  Mary Johnson  ',
    normalized: 'maryjohnson',
    upload: '380b008efe6000eb40881d90a39f7c7b703c3ff287e5cc1be9e89cf669e99d68',
  },
  {
    description: 'Meta ln: no punctuation [M-CIP]',
    dest: 'meta',
    field: 'last_name',
    input: "O'Brien",
    normalized: 'obrien',
    upload: 'b4cb6cb33fe4b865868de825023a1e2790dc12ac01ecc8d7c5afe8254071c8ba',
  },
  {
    description: 'Meta fn: accented letters kept, lowercased (UTF-8 allowed) [SEG-FB]',
    dest: 'meta',
    field: 'first_name',
    input: 'JOSÉ',
    normalized: 'josé',
    upload: 'd994e1d001886fe5b45b1267bd1fa2b752ac50742579bd3dad7b2a2aa0ed6866',
  },
  {
    description: 'Google given_name: lowercase and trim only, hyphen kept [G-DM]',
    dest: 'google',
    field: 'first_name',
    input: '  MARY-ANN  ',
    normalized: 'mary-ann',
    upload: 'ed4bdd3a7368920a4d1f4e692201f7a4aee19278a930c824649af01bbc38c63f',
  },
  {
    description: 'Google given_name: no prefix [G-DM]',
    dest: 'google',
    field: 'first_name',
    input: 'Dr. Jane',
    normalized: 'jane',
    upload: '81f8f6dde88365f3928796ec7aa53f72820b06db8664f5fe76a7eb13e24546a2',
  },
  {
    description: 'Google family_name: no suffix, with or without its dot [G-DM]',
    dest: 'google',
    field: 'last_name',
    input: 'SMITH JR',
    normalized: 'smith',
    upload: '6627835f988e2c5e50533d491163072d3f4f41f5c8b04630150debb3722ca2dd',
  },
  // Postal codes, countries, states, cities, dates of birth, gender
  {
    description: 'Meta zp: US ZIP+4 to the 5-digit ZIP [M-PB PIIUtilsTest]',
    dest: 'meta',
    field: 'postal_code',
    input: '  90210-1234  ',
    normalized: '90210',
    upload: 'b83c588da0c6931625f42e0948054a3ade722bfd02c27816305742ed7390ac6c',
  },
  {
    description: 'Meta zp: ZIP+4 written without its dash [M-CIP]',
    dest: 'meta',
    field: 'postal_code',
    input: '123456789',
    country: 'US',
    normalized: '12345',
    upload: '5994471abb01112afcc18159f6cc74b4f511b99806da59b3caf5a9c173cacfc5',
  },
  {
    description: 'Meta zp: UK postcode lowercase without the space (SDK form) [M-SDK]',
    dest: 'meta',
    field: 'postal_code',
    input: 'sw1w 0ny',
    country: 'GB',
    normalized: 'sw1w0ny',
    upload: 'a6c248a2012f916b4cab3a00d67acb827650ffb16529133446aff4a9150611b7',
  },
  {
    description: 'Meta zp: Canadian postcode lowercase without the space [M-CIP]',
    dest: 'meta',
    field: 'postal_code',
    input: 'K1A 0B1',
    country: 'CA',
    normalized: 'k1a0b1',
    upload: '3e8d74314dc02166b1ea8c7bd8c2357fb3f9898074395b8c57f8799848b4daa1',
  },
  {
    description: 'Meta country: a name to lowercase ISO-2 [M-PB PIIUtilsTest]',
    dest: 'meta',
    field: 'country',
    input: '  Germany  ',
    normalized: 'de',
    upload: '959a45d44e6fcf58361ed004681556fe50129f2109e817dec098c00c9e5d2578',
  },
  {
    description: 'Meta country: "England" is GB [M-CIP]',
    dest: 'meta',
    field: 'country',
    input: 'England',
    normalized: 'gb',
    upload: '0b407281768f0e833afef47ed464b6571d01ca4d53c12ce5c51d1462f4ad6677',
  },
  {
    description: 'Google region_code: ISO-2, sent in clear [G-DM]',
    dest: 'google',
    field: 'country',
    input: 'gb',
    normalized: 'GB',
    upload: 'GB',
  },
  {
    description: 'Meta st: US state name to its code [M-PB PIIUtilsTest]',
    dest: 'meta',
    field: 'state',
    input: '  New York  ',
    normalized: 'ny',
    upload: '1b06e2003f8420d6fa42badd8f77ec0f706b976b7a48b13c567dc5a559681683',
  },
  {
    description: 'Meta st: Canadian province name to its 2-letter code [M-PB]',
    dest: 'meta',
    field: 'state',
    input: 'Ontario',
    normalized: 'on',
    upload: 'b8d31e852725afb1e26d53bab6095b2bff1749c9275be13ed1c05a56ed31ec09',
  },
  {
    description: 'Meta st: an accented province name is still found [M-PB]',
    dest: 'meta',
    field: 'state',
    input: 'Québec',
    normalized: 'qc',
    upload: '997164d13810adf6cab52541447d083c4472e5ca6052cc6ddd9501318ac5730c',
  },
  {
    description: 'Meta ct: lowercase, no spaces [M-PB PIIUtilsTest]',
    dest: 'meta',
    field: 'city',
    input: '  San Francisco  ',
    normalized: 'sanfrancisco',
    upload: '1a6bd4d9d79dc0a79b53795c70d3349fa9e38968a3fbefbfe8783efb1d2b6aac',
  },
  {
    description: 'Meta db: ISO date to YYYYMMDD [M-CIP]',
    dest: 'meta',
    field: 'dob',
    input: '1990-01-15',
    normalized: '19900115',
    upload: '4747c382bedef489a190a6797e6f4451907b86511bdd49cfa8f9d4c1a78d8bac',
  },
  {
    description: 'Meta db: month name to YYYYMMDD [M-CIP]',
    dest: 'meta',
    field: 'dob',
    input: 'January 15, 1990',
    normalized: '19900115',
    upload: '4747c382bedef489a190a6797e6f4451907b86511bdd49cfa8f9d4c1a78d8bac',
  },
  {
    description: 'Meta ge: "Male" to m [M-PB PIIUtilsTest]',
    dest: 'meta',
    field: 'gender',
    input: '  Male  ',
    normalized: 'm',
    upload: '62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a',
  },
  {
    description: 'Meta ge: "Female" to f [M-PB PIIUtilsTest]',
    dest: 'meta',
    field: 'gender',
    input: '  Female  ',
    normalized: 'f',
    upload: '252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111',
  },
  {
    description: 'Meta extern_id: sent unhashed, as given [RS-FB]',
    dest: 'meta',
    field: 'external_id',
    input: '  User123  ',
    normalized: 'User123',
    upload: 'User123',
  },
  // Mobile advertising IDs and handles
  {
    description: 'Pinterest AAID: 32 hex to lowercase 8-4-4-4-12, then SHA-256 [TEAL-PIN]',
    dest: 'pinterest',
    field: 'maid',
    input: '5F3A2B189C4D4E7FB8E217D3A1E69B25',
    normalized: '5f3a2b18-9c4d-4e7f-b8e2-17d3a1e69b25',
    upload: '83dc3f5f32b9472613b0f038d36f22585a609d018af6f6067f50da318bf354bd',
  },
  {
    description: 'Snap MAID: lowercase, hyphens kept [SN-CAPI]',
    dest: 'snapchat',
    field: 'maid',
    input: ' 5F3A2B18-9C4D-4E7F-B8E2-17D3A1E69B25 ',
    normalized: '5f3a2b18-9c4d-4e7f-b8e2-17d3a1e69b25',
    upload: '83dc3f5f32b9472613b0f038d36f22585a609d018af6f6067f50da318bf354bd',
  },
  {
    description: 'X takes a 16-hex Android ID as on the device [X-UD]',
    dest: 'x',
    field: 'maid',
    input: '3f2a1b0c9d8e7f6a',
    normalized: '3f2a1b0c9d8e7f6a',
    upload: 'd1281008adafe15dacbc2885e415c03cd9d273f3ac91d5772f50a55cdda60701',
  },
  {
    description: 'X handle: spaces and "@" removed, lowercase (published prefix 49e0be2a) [X-UD]',
    dest: 'x',
    field: 'x_handle',
    input: '  @AdsAPI ',
    normalized: 'adsapi',
    upload: '49e0be2aeccfb51a8dee4c945c8a70a9ac500cf6f5cb08112575f74db9b1470d',
  },
  // Already-hashed input
  {
    description: 'Meta passes a 32-hex (MD5) value through, lowercased [M-SDK][M-PB PIIUtilsTest]',
    dest: 'meta',
    field: 'email',
    input: 'D41D8CD98F00B204E9800998ECF8427E',
    normalized: 'd41d8cd98f00b204e9800998ecf8427e',
    upload: 'd41d8cd98f00b204e9800998ecf8427e',
    prehashed: true,
    note: 'PREHASHED_MD5',
  },
  {
    description: 'Pinterest takes MD5 emails [TEAL-PIN]',
    dest: 'pinterest',
    field: 'email',
    input: '5D41402ABC4B2A76B9719D911017C592',
    normalized: '5d41402abc4b2a76b9719d911017c592',
    upload: '5d41402abc4b2a76b9719d911017c592',
    prehashed: true,
    note: 'PREHASHED_MD5',
  },
  {
    description: 'Pinterest takes SHA-1 MAIDs [TEAL-PIN]',
    dest: 'pinterest',
    field: 'maid',
    input: 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709',
    normalized: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    upload: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    prehashed: true,
    note: 'PREHASHED_SHA1',
  },
  {
    description: 'The Trade Desk takes hashed emails: a UID2 Base64 hash passes unchanged [UID2][TEAL-TTD]',
    dest: 'the_trade_desk',
    field: 'email',
    input: 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=',
    normalized: 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=',
    upload: 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=',
    prehashed: true,
  },
  {
    description: 'The Trade Desk: a hex SHA-256 becomes Base64 of the same bytes (published pair) [UID2]',
    dest: 'the_trade_desk',
    field: 'email',
    input: 'B4C9A289323B21A01C3E940F150EB9B8C542587F1ABFD8F0E1CC1FFC5E475514',
    normalized: 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=',
    upload: 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=',
    prehashed: true,
    note: 'PREHASHED_REENCODED',
  },
  {
    description: 'Google takes hex or Base64; the file uses hex, so Base64 is re-encoded [G-DM]',
    dest: 'google',
    field: 'email',
    input: 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=',
    normalized: 'b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514',
    upload: 'b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514',
    prehashed: true,
    note: 'PREHASHED_REENCODED',
  },
  {
    description: 'X wants lowercase hex: an uppercase SHA-256 is recased, not refused [X-UD]',
    dest: 'x',
    field: 'email',
    input: 'B4C9A289323B21A01C3E940F150EB9B8C542587F1ABFD8F0E1CC1FFC5E475514',
    normalized: 'b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514',
    upload: 'b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514',
    prehashed: true,
  },
];

const REFUSED: Refused[] = [
  {
    description: 'UID2 trims only; a space inside is not an address [UID2]',
    dest: 'the_trade_desk',
    field: 'email',
    input: 'Jane Saoirse@gmail.com',
    reason: 'EMAIL_SYNTAX',
  },
  {
    description: 'TikTok removes no inner whitespace [TT-IDS]',
    dest: 'tiktok',
    field: 'email',
    input: 'first last@yahoo.com',
    reason: 'EMAIL_SYNTAX',
  },
  {
    description: 'Meta does not add facebook.com emails, whatever the case [SMARTLY]',
    dest: 'meta',
    field: 'email',
    input: ' Someone@Facebook.COM ',
    reason: 'EMAIL_PLATFORM_EXCLUDED',
  },
  {
    description: 'Meta refuses more than 15 digits [M-SDK]',
    dest: 'meta',
    field: 'phone',
    input: '1234567890123456',
    reason: 'PHONE_LENGTH',
  },
  {
    description: 'Meta refuses fewer than 7 digits [M-SDK]',
    dest: 'meta',
    field: 'phone',
    input: '12345',
    country: 'US',
    reason: 'PHONE_LENGTH',
  },
  {
    description: 'UID2: E.164 has at most 15 digits [UID2]',
    dest: 'the_trade_desk',
    field: 'phone',
    input: '+4420718387501234',
    reason: 'PHONE_LENGTH',
  },
  {
    description: 'Snap: a trunk 0 without a country cannot get its country code [SN-CAPI]',
    dest: 'snapchat',
    field: 'phone',
    input: '07700 900123',
    reason: 'PHONE_AMBIGUOUS_TRUNK_ZERO',
  },
  {
    description: 'TikTok: the country code is required, even in the US [TT-IDS]',
    dest: 'tiktok',
    field: 'phone',
    input: '6577770000',
    reason: 'PHONE_NO_COUNTRY_CODE',
  },
  {
    description: 'The Trade Desk takes no EU phone numbers [TEAL-TTD][ADOBE-TTD]',
    dest: 'the_trade_desk',
    field: 'phone',
    input: '+49 176 54648789',
    reason: 'PHONE_NOT_ACCEPTED_IN_REGION',
  },
  {
    description: 'The Trade Desk takes no phone of a record in the EU [TEAL-TTD][ADOBE-TTD]',
    dest: 'the_trade_desk',
    field: 'phone',
    input: '0176 54648789',
    country: 'DE',
    reason: 'PHONE_NOT_ACCEPTED_IN_REGION',
  },
  {
    description: 'Google needs SHA-256: a 32-hex value is the wrong hash [G-DM]',
    dest: 'google',
    field: 'email',
    input: 'd41d8cd98f00b204e9800998ecf8427e',
    reason: 'HASH_WRONG_LENGTH',
  },
  {
    description: 'The Trade Desk needs SHA-256: a 32-hex value is the wrong hash [UID2]',
    dest: 'the_trade_desk',
    field: 'email',
    input: 'd41d8cd98f00b204e9800998ecf8427e',
    reason: 'HASH_WRONG_LENGTH',
  },
  {
    description: 'Meta ge is m or f only [M-SDK]',
    dest: 'meta',
    field: 'gender',
    input: 'unknown',
    reason: 'GENDER_INVALID',
  },
  {
    description: 'the zeroed MAID without hyphens is still zeroed [APPLE][ANDR]',
    dest: 'tiktok',
    field: 'maid',
    input: '00000000000000000000000000000000',
    reason: 'MAID_ZEROED',
  },
  {
    description: 'only X takes a 16-hex Android ID [X-UD]',
    dest: 'tiktok',
    field: 'maid',
    input: '3f2a1b0c9d8e7f6a',
    reason: 'MAID_FORMAT',
  },
  {
    description: 'Meta zp shorter than 2 characters [M-SDK]',
    dest: 'meta',
    field: 'postal_code',
    input: ' 1 ',
    reason: 'ZIP_TOO_SHORT',
  },
];

const label = (row: { description: string; dest: string; field: string; input: string; country?: string }) =>
  `${row.dest} ${row.field} ${JSON.stringify(row.input)}${row.country ? ` (${row.country})` : ''}: ${row.description}`;

describe('destination edge cases stated by the reference', () => {
  it.each(ACCEPTED.map((row) => [label(row), row] as const))('%s', (_label, row) => {
    const result = normalizeForDestination(
      DESTINATIONS[row.dest],
      row.field,
      row.input,
      row.country ? { country: row.country } : {},
    );
    expect(result).toEqual({
      ok: true,
      normalized: row.normalized,
      upload: row.upload,
      hash: DESTINATIONS[row.dest].fields[row.field]?.hash,
      ...(row.prehashed ? { prehashed: true } : {}),
      ...(row.note ? { note: row.note } : {}),
    });
  });

  it.each(REFUSED.map((row) => [label(row), row] as const))('%s', (_label, row) => {
    const result = normalizeForDestination(
      DESTINATIONS[row.dest],
      row.field,
      row.input,
      row.country ? { country: row.country } : {},
    );
    expect(result).toEqual({ ok: false, reason: row.reason });
  });
});
