/**
 * Person names. The value keeps the name readable (lowercase, NFC, single spaces, hyphens and
 * apostrophes kept: "mary-ann o'brien"); the matching key drops everything but letters and digits
 * ("maryannobrien"), so "Mary-Ann", "Mary Ann" and "MaryAnn" match. Letters with diacritics are
 * kept ("zoë"): Meta accepts UTF-8 names, and folding them would merge different names.
 * Titles and generational or academic suffixes are removed (Google Data Manager: no prefixes or
 * suffixes), but only as whole tokens and never when nothing else would remain.
 */
import { accept, type NormalizeResult, refuse } from './result.js';
import { MAX_INPUT_LENGTH, rawText } from './text-basics.js';

const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'sir',
  'dame',
  'lady',
  'lord',
  'rev',
  'fr',
  'herr',
  'frau',
  'mme',
  'mlle',
  'sra',
  'srta',
]);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'dds', 'mba', 'jnr', 'snr']);

export function normalizePersonName(raw: unknown): NormalizeResult {
  const text = rawText(raw);
  if (text === undefined) return refuse('EMPTY');
  if (text.length > MAX_INPUT_LENGTH) return refuse('TOO_LONG');
  const cleaned = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/[^\p{L}\p{M}\p{N}'\- ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  let tokens = cleaned.split(' ').filter((token) => /[\p{L}\p{N}]/u.test(token));
  const bare = (token: string) => token.replace(/['-]/g, '');
  while (tokens.length > 1 && TITLES.has(bare(tokens[0] as string))) tokens = tokens.slice(1);
  while (tokens.length > 1 && SUFFIXES.has(bare(tokens[tokens.length - 1] as string))) tokens = tokens.slice(0, -1);
  if (tokens.length === 1 && (TITLES.has(bare(tokens[0] as string)) || SUFFIXES.has(bare(tokens[0] as string)))) {
    return refuse('NAME_EMPTY');
  }
  const value = tokens.join(' ').replace(/^['-]+|['-]+$/g, '');
  const key = value.replace(/[^\p{L}\p{M}\p{N}]/gu, '');
  if (key === '') return refuse('NAME_EMPTY');
  return accept(value, key);
}
