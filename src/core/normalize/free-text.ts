/** Generic text attributes (a city, a company): NFC, lowercase, single spaces. */
import { accept, type NormalizeResult, refuse } from './result.js';
import { MAX_INPUT_LENGTH, rawText } from './text-basics.js';

export function normalizeFreeText(raw: unknown): NormalizeResult {
  const text = rawText(raw);
  if (text === undefined) return refuse('EMPTY');
  if (text.length > MAX_INPUT_LENGTH) return refuse('TOO_LONG');
  const value = text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ');
  return accept(value);
}
