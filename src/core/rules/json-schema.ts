/** The JSON Schema editors use for rules files, generated from the same zod schema as validation. */
import { z } from 'zod';
import { rulesFileSchema } from './schema.js';

export const RULES_SCHEMA_ID = 'urn:idgraph:rules-schema:1';

export function rulesJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(rulesFileSchema, { io: 'input', unrepresentable: 'any' }),
    $id: RULES_SCHEMA_ID,
    title: 'idgraph match rules',
  };
}
