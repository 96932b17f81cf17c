/**
 * Mobile advertising IDs (Apple IDFA, Google GAID): UUIDs, canonical in lowercase with hyphens, the
 * form ad platforms expect. 32 hex digits without hyphens and braced forms are accepted and
 * re-hyphenated. The all-zero ID is what a device sends when the user limited ad tracking (Apple
 * since iOS 14, Android 12+), so it identifies nobody: MAID_ZEROED.
 */
import { accept, type NormalizeResult, refuse } from './result.js';
import { MAX_INPUT_LENGTH, rawText } from './text-basics.js';

const HYPHENATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COMPACT = /^[0-9a-f]{32}$/;

export function normalizeDeviceId(raw: unknown): NormalizeResult {
  const text = rawText(raw);
  if (text === undefined) return refuse('EMPTY');
  if (text.length > MAX_INPUT_LENGTH) return refuse('TOO_LONG');
  let id = text.toLowerCase().replace(/^\{(.*)\}$/, '$1');
  if (COMPACT.test(id))
    id = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
  if (!HYPHENATED.test(id)) return refuse('MAID_SYNTAX');
  if (/^[0-]+$/.test(id)) return refuse('MAID_ZEROED');
  return accept(id);
}
