/**
 * How each platform wants an email before hashing. They disagree (destinations.md §0):
 *   - plain: trim and lowercase, nothing else (Meta, Snap, X, Amazon, LinkedIn, Pinterest);
 *   - google: also drop all whitespace; for gmail.com and googlemail.com drop dots and the +tag;
 *   - uid2: as google, but for gmail.com only (UID2 normalization rules, used by The Trade Desk);
 *   - tiktok: drop the +tag on every domain.
 * The syntax check is idgraph's own (EMAIL_SYNTAX) so every platform refuses the same garbage.
 * Placeholders (test@example.com) are formatted like any address: whether a value is junk is the
 * rules' call, made by the report, not the platform's.
 */
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
    const text = options.rules === 'plain' ? raw.trim() : raw.replace(/\s+/g, '');
    if (text === '') return refusedBy('EMPTY');
    const parts = parseEmail(text);
    if (!parts) return refusedBy('EMAIL_SYNTAX');
    if (excluded.has(parts.domain)) return refusedBy('EMAIL_PLATFORM_EXCLUDED');
    return formatted(`${localPart(parts.local, parts.domain, options.rules)}@${parts.domain}`);
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
