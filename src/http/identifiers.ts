import { identifierKey } from '../core/resolve/types.js';
import type { Engine } from '../engine/engine.js';
import { ApiError } from './api-error.js';

/** A raw identifier from a request to its index key, or a 400 that says why it cannot be used. */
export function normalizeIdentifier(engine: Engine, input: { type: string; value: string; country?: string }): string {
  if (!engine.rulesInUse.file.identifiers[input.type]) {
    throw new ApiError(400, 'VALIDATION_FAILED', `unknown identifier type "${input.type}"`, [
      {
        path: 'type',
        message: `not an identifier type of the rules: ${Object.keys(engine.rulesInUse.file.identifiers).join(', ')}`,
      },
    ]);
  }
  const result = engine.rulesInUse.normalizers.normalize(
    input.type,
    input.value,
    input.country ? { country: input.country } : {},
  );
  if (!result.ok)
    throw new ApiError(400, 'VALIDATION_FAILED', `the ${input.type} is not usable: ${result.reason}`, [
      { path: 'value', message: result.reason },
    ]);
  return identifierKey(input.type, result.key);
}
