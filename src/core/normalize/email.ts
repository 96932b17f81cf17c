/**
 * Email addresses. The canonical value is the address lowercased, with an internationalized domain
 * in its Unicode form; the matching key uses the ASCII (punycode) domain and folds what a provider
 * itself treats as one mailbox:
 *   - gmail.com and googlemail.com ignore dots in the local part and anything after "+", and are one
 *     domain (Google Data Manager formatting guide);
 *   - Microsoft (outlook, hotmail, live, msn), Apple (icloud, me, mac), Proton and Fastmail deliver
 *     "name+tag" to "name" (their published subaddressing help pages), so the +tag is dropped.
 * Other domains are left alone: a "+" or "." may be significant there. The address as written is
 * kept as the value, so destination formats can apply their own rules later.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { accept, type NormalizeResult, refuse } from './result.js';
import { MAX_INPUT_LENGTH, rawText } from './text-basics.js';
import { WEBMAIL_PROVIDERS } from './webmail-providers.js';

// RFC 5322 atext plus internationalized letters and digits (RFC 6531); dots only between atoms.
const LOCAL_ATOM = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+";
const LOCAL_PART = new RegExp(`^${LOCAL_ATOM}(?:\\.${LOCAL_ATOM})*$`, 'u');
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export interface EmailParts {
  readonly local: string;
  /** ASCII (punycode) form of the domain. */
  readonly domain: string;
}

export function normalizeEmail(raw: unknown): NormalizeResult {
  const text = rawText(raw);
  if (text === undefined) return refuse('EMPTY');
  if (text.length > MAX_INPUT_LENGTH) return refuse('TOO_LONG');
  const parts = parseEmail(text);
  if (!parts) return refuse('EMAIL_SYNTAX');
  const unicodeDomain = toUnicodeDomain(parts.domain);
  return accept(`${parts.local}@${unicodeDomain}`, emailMatchKey(parts));
}

/** Splits and validates an address; undefined when it is not one. */
export function parseEmail(text: string): EmailParts | undefined {
  const trimmed = text.trim().replace(/^mailto:/i, '');
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return undefined;
  const local = trimmed.slice(0, at).normalize('NFC').toLowerCase();
  const domain = toAsciiDomain(
    trimmed
      .slice(at + 1)
      .normalize('NFC')
      .toLowerCase()
      .replace(/\.$/, ''),
  );
  if (local.length > 64 || !LOCAL_PART.test(local)) return undefined;
  if (!domain || domain.length > 253) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return undefined;
  if (!TOP_LEVEL.test(labels[labels.length - 1] as string)) return undefined;
  return { local, domain };
}

/**
 * A plain ASCII domain whose last label starts with a letter comes out of domainToASCII and
 * domainToUnicode as it went in (checked against both on two million random strings), so most
 * addresses skip the WHATWG host parser, a measurable share of reading an email. The rest go through it: Unicode and punycode
 * labels, and numeric last labels, which it reads as IPv4 addresses.
 */
const PLAIN_ASCII_DOMAIN = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z][a-z0-9-]*$/;

function toAsciiDomain(domain: string): string {
  return isPlainAscii(domain) ? domain : domainToASCII(domain);
}

/** The Unicode form of an ASCII domain: a plain one has no punycode label to decode. */
function toUnicodeDomain(asciiDomain: string): string {
  return isPlainAscii(asciiDomain) ? asciiDomain : domainToUnicode(asciiDomain) || asciiDomain;
}

function isPlainAscii(domain: string): boolean {
  return PLAIN_ASCII_DOMAIN.test(domain) && !domain.includes('xn--');
}

/** The key two spellings of one mailbox share. */
export function emailMatchKey({ local, domain }: EmailParts): string {
  const rule = WEBMAIL_PROVIDERS.get(domain);
  if (rule === 'google') return `${stripTag(local).replaceAll('.', '')}@gmail.com`;
  if (rule === 'tags') return `${stripTag(local)}@${domain}`;
  return `${local}@${domain}`;
}

function stripTag(local: string): string {
  const plus = local.indexOf('+');
  return plus > 0 ? local.slice(0, plus) : local;
}
