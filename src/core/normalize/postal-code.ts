/**
 * Postal codes, per country when the country is known (formats from the national postal services'
 * published address guides); otherwise uppercase alphanumerics. The value is the form the country
 * writes (UK "SW1W 0NY", Canada "K1A 0B1", Netherlands "1234 AB"); the key drops the space. US ZIP+4
 * keeps the 5-digit ZIP, the part every record has.
 */
import { accept, type NormalizeResult, refuse } from './result.js';
import { rawText } from './text-basics.js';

export interface PostalContext {
  readonly country?: string;
}

type Format = (compact: string) => string | undefined;

const digits =
  (count: number): Format =>
  (compact) =>
    new RegExp(`^\\d{${count}}$`).test(compact) ? compact : undefined;

const FORMATS: Record<string, Format> = {
  US: (compact) => (/^\d{5}(\d{4})?$/.test(compact) ? compact.slice(0, 5) : undefined),
  GB: (compact) =>
    /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact) ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : undefined,
  CA: (compact) => (/^[A-Z]\d[A-Z]\d[A-Z]\d$/.test(compact) ? `${compact.slice(0, 3)} ${compact.slice(3)}` : undefined),
  NL: (compact) => (/^[1-9]\d{3}[A-Z]{2}$/.test(compact) ? `${compact.slice(0, 4)} ${compact.slice(4)}` : undefined),
  IE: (compact) => (/^[A-Z\d]{3}[A-Z\d]{4}$/.test(compact) ? `${compact.slice(0, 3)} ${compact.slice(3)}` : undefined),
  DE: digits(5),
  FR: digits(5),
  ES: digits(5),
  IT: digits(5),
  AU: digits(4),
  AT: digits(4),
  BE: digits(4),
  CH: digits(4),
  DK: digits(4),
  NO: digits(4),
  SE: digits(5),
  PL: (compact) => (/^\d{5}$/.test(compact) ? `${compact.slice(0, 2)}-${compact.slice(2)}` : undefined),
  JP: (compact) => (/^\d{7}$/.test(compact) ? `${compact.slice(0, 3)}-${compact.slice(3)}` : undefined),
  BR: (compact) => (/^\d{8}$/.test(compact) ? `${compact.slice(0, 5)}-${compact.slice(5)}` : undefined),
  IN: digits(6),
};

export function normalizePostalCode(raw: unknown, context: PostalContext = {}): NormalizeResult {
  const text = rawText(raw);
  if (text === undefined) return refuse('EMPTY');
  if (text.length > 32) return refuse('TOO_LONG');
  const compact = text.toUpperCase().replace(/[\s\-.]/g, '');
  if (!/^[A-Z\d]+$/.test(compact)) return refuse('POSTCODE_INVALID');
  const format = context.country ? FORMATS[context.country.toUpperCase()] : undefined;
  if (format) {
    const value = format(compact);
    if (value === undefined) return refuse('POSTCODE_INVALID');
    return accept(value, value.replace(/[\s-]/g, ''));
  }
  // Unknown country: any 2-10 alphanumerics (Meta refuses codes shorter than two characters).
  if (compact.length < 2 || compact.length > 10) return refuse('POSTCODE_INVALID');
  return accept(compact);
}
