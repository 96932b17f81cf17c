/**
 * How each platform wants an email before hashing. They disagree (destinations.md §0):
 *   - plain: trim and lowercase, nothing else (Meta, Snap, X, Amazon, LinkedIn, Pinterest);
 *   - google: also drop all whitespace; for gmail.com and googlemail.com drop dots and the +tag;
 *   - uid2: trim and lowercase; for gmail.com only drop dots and the +tag (UID2 normalization rules,
 *     used by The Trade Desk);
 *   - tiktok: trim and lowercase, and drop the +tag on every domain.
 * Only Google asks for inner whitespace to be removed [G-DM]; UID2 says "remove leading and trailing
 * spaces" [UID2], so elsewhere an address with a space inside is not an address (EMAIL_SYNTAX).
 * The domain is kept as written, only lowercased: an internationalized domain stays in Unicode
 * ("bücher.de"), a punycode one stays punycode. No platform asks for IDNA conversion, and Meta
 * "changes nothing in an email except trimming and lowercasing" [M-CIP][M-PB].
 * The syntax check is idgraph's own (EMAIL_SYNTAX) so every platform refuses the same garbage.
 * Placeholders (test@example.com) are formatted like any address: whether a value is junk is the
 * rules' call, made by the report, not the platform's.
 */
import { domainToUnicode } from 'node:url';
import { parseEmail } from '../normalize/email.js';
import { type FieldFormat, formatted, refusedBy } from './types.js';

export type EmailRules = 'plain' | 'google' | 'uid2' | 'tiktok';

export interface EmailFormatOptions {
  readonly rules: EmailRules;
  /** Domains the platform will not add (Meta: facebook.com). */
  readonly excludedDomains?: readonly string[];
}

export function emailFormat(options: EmailFormatOptions): FieldFormat {
  const excluded = new Set(options.excludedDomains ?? []);
  return (raw) => {
    const text = options.rules === 'google' ? raw.replace(/\s+/g, '') : raw.trim();
    if (text === '') return refusedBy('EMPTY');
    const parts = parseEmail(text);
    if (!parts) return refusedBy('EMAIL_SYNTAX');
    if (excluded.has(parts.domain)) return refusedBy('EMAIL_PLATFORM_EXCLUDED');
    return formatted(`${localPart(parts.local, parts.domain, options.rules)}@${domainAsWritten(text, parts.domain)}`);
  };
}

function localPart(local: string, domain: string, rules: EmailRules): string {
  const gmailFolding =
    (rules === 'google' && (domain === 'gmail.com' || domain === 'googlemail.com')) ||
    (rules === 'uid2' && domain === 'gmail.com');
  if (gmailFolding) return withoutTag(local).replaceAll('.', '');
  if (rules === 'tiktok') return withoutTag(local);
  return local;
}

function withoutTag(local: string): string {
  const plus = local.indexOf('+');
  return plus > 0 ? local.slice(0, plus) : local;
}

/** The lowercased domain in the script it was written in; `asciiDomain` is the parsed (punycode) form. */
function domainAsWritten(text: string, asciiDomain: string): string {
  const written = text.slice(text.lastIndexOf('@') + 1);
  if (!/[^\p{ASCII}]/u.test(written)) return asciiDomain;
  return domainToUnicode(asciiDomain) || asciiDomain;
}
