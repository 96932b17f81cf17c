/**
 * Cookies and custom IDs: opaque strings. Only surrounding space is removed, and the case policy
 * applied (a cookie is case-sensitive, so it keeps its case by default; custom IDs such as loyalty
 * numbers are usually typed by people, so they are lowercased by default). An optional pattern
 * refuses values that cannot be an ID of that type (ID_PATTERN).
 */
import { accept, type NormalizeResult, refuse } from './result.js';
import { MAX_INPUT_LENGTH, rawText } from './text-basics.js';

export type CasePolicy = 'preserve' | 'lower' | 'upper';

export interface OpaqueIdOptions {
  readonly case: CasePolicy;
  readonly pattern?: RegExp;
}

export function normalizeOpaqueId(raw: unknown, options: OpaqueIdOptions): NormalizeResult {
  const text = rawText(raw);
  if (text === undefined) return refuse('EMPTY');
  if (text.length > MAX_INPUT_LENGTH) return refuse('TOO_LONG');
  const cased = options.case === 'lower' ? text.toLowerCase() : options.case === 'upper' ? text.toUpperCase() : text;
  if (hasControlCharacter(cased)) return refuse('ID_PATTERN');
  if (options.pattern && !options.pattern.test(cased)) return refuse('ID_PATTERN');
  return accept(cased);
}

/** Control characters never belong in an ID; they come from broken exports. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
