/**
 * Countries to ISO 3166-1 alpha-2. Names come from the ICU data in Node's Intl.DisplayNames (English
 * and the main European languages), so every region code is covered without a hand-kept table;
 * common aliases and alpha-3 codes are added on top. "UK" is the best-known trap: it is not an ISO
 * code, and destinations that pass two-letter input through unchecked upload it as is.
 */
import { accept, type NormalizeResult, refuse } from './result.js';
import { foldDiacritics, rawText } from './text-basics.js';

// ICU also names groupings (EU, UN), test codes (XA, XB), codes withdrawn from ISO 3166-1 (DD, SU,
// YU...) and ones only reserved for other uses (AC, DG, IC...): none is a country code to store.
const NOT_COUNTRIES = new Set([
  'ZZ',
  'EU',
  'EZ',
  'UN',
  'QO',
  'XA',
  'XB',
  'AN',
  'BU',
  'CS',
  'DD',
  'DY',
  'SU',
  'TP',
  'UK',
  'YD',
  'YU',
  'ZR',
  'HV',
  'NH',
  'RH',
  'VD',
  'FX',
  'AC',
  'CP',
  'CQ',
  'DG',
  'EA',
  'IC',
  'TA',
]);
const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'sv', 'da', 'pl'];

const ALIASES: Record<string, string> = {
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  'united kingdom of great britain and northern ireland': 'GB',
  usa: 'US',
  us: 'US',
  america: 'US',
  'united states of america': 'US',
  'u s': 'US',
  'u s a': 'US',
  holland: 'NL',
  'the netherlands': 'NL',
  deutschland: 'DE',
  'czech republic': 'CZ',
  russia: 'RU',
  'south korea': 'KR',
  'korea republic of': 'KR',
  'north korea': 'KP',
  'ivory coast': 'CI',
  uae: 'AE',
  'viet nam': 'VN',
  'republic of ireland': 'IE',
  eire: 'IE',
  'hong kong sar': 'HK',
  macau: 'MO',
  gbr: 'GB',
  deu: 'DE',
  fra: 'FR',
  esp: 'ES',
  ita: 'IT',
  nld: 'NL',
  bel: 'BE',
  che: 'CH',
  aut: 'AT',
  irl: 'IE',
  can: 'CA',
  aus: 'AU',
  nzl: 'NZ',
  mex: 'MX',
  bra: 'BR',
  ind: 'IN',
  chn: 'CN',
  jpn: 'JP',
  swe: 'SE',
  nor: 'NO',
  dnk: 'DK',
  fin: 'FI',
  pol: 'PL',
  prt: 'PT',
  zaf: 'ZA',
  arg: 'AR',
  kor: 'KR',
};

const lookupKey = (text: string) =>
  foldDiacritics(text)
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

let table: Map<string, string> | undefined;

/** Built on first use: about 250 codes times a few languages, a few milliseconds once. */
function countryTable(): Map<string, string> {
  if (table) return table;
  const built = new Map<string, string>();
  const namers = LANGUAGES.map((language) => new Intl.DisplayNames([language], { type: 'region', fallback: 'none' }));
  for (let first = 65; first <= 90; first++) {
    for (let second = 65; second <= 90; second++) {
      const code = String.fromCharCode(first, second);
      if (NOT_COUNTRIES.has(code)) continue;
      const english = namers[0]?.of(code);
      if (!english || english === code) continue;
      built.set(code.toLowerCase(), code);
      for (const namer of namers) {
        const name = namer.of(code);
        if (name && !built.has(lookupKey(name))) built.set(lookupKey(name), code);
      }
    }
  }
  for (const [alias, code] of Object.entries(ALIASES)) built.set(alias, code);
  table = built;
  return built;
}

export function normalizeCountry(raw: unknown): NormalizeResult {
  const text = rawText(raw);
  if (text === undefined) return refuse('EMPTY');
  if (text.length > 80) return refuse('TOO_LONG');
  const code = countryTable().get(lookupKey(text));
  return code ? accept(code) : refuse('COUNTRY_UNKNOWN');
}
