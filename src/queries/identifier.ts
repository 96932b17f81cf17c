/** A raw identifier as a caller gives it, to the index key the store keeps it under. */
import { identifierKey } from '../core/resolve/types.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import { QueryError } from './query-error.js';

export interface IdentifierInput {
  readonly type: string;
  readonly value: string;
  /** Default country for values without one (phone numbers). */
  readonly country?: string;
}

/** The part of the rules that turns raw identifiers into keys. */
export type IdentifierRules = Pick<LoadedRules, 'file' | 'normalizers'>;

/** The identifier's key, or the reason code its normalizer refused it with; an unknown type throws. */
export function normalizedKey(
  rules: IdentifierRules,
  input: IdentifierInput,
): { ok: true; key: string } | { ok: false; reason: string } {
  if (!rules.file.identifiers[input.type]) {
    throw new QueryError('UNKNOWN_TYPE', `unknown identifier type "${input.type}"`, {
      field: 'type',
      message: `not an identifier type of the rules: ${Object.keys(rules.file.identifiers).join(', ')}`,
    });
  }
  const result = rules.normalizers.normalize(input.type, input.value, input.country ? { country: input.country } : {});
  return result.ok ? { ok: true, key: identifierKey(input.type, result.key) } : { ok: false, reason: result.reason };
}

/** The identifier's key; an unknown type or an unusable value throws, naming the type, never the value. */
export function identifierKeyOf(rules: IdentifierRules, input: IdentifierInput): string {
  const normalized = normalizedKey(rules, input);
  if (!normalized.ok) {
    throw new QueryError('UNUSABLE_VALUE', `the ${input.type} is not usable: ${normalized.reason}`, {
      field: 'value',
      message: normalized.reason,
    });
  }
  return normalized.key;
}
