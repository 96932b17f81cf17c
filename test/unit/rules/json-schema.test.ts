import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rulesJsonSchema } from '../../../src/core/rules/json-schema.js';

describe('rules JSON Schema', () => {
  it('is the one checked in (run `npm run rules:schema` after changing the zod schema)', () => {
    const checkedIn = JSON.parse(
      readFileSync(new URL('../../../rules/idgraph-rules.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(checkedIn).toEqual(rulesJsonSchema());
  });

  it('describes every top-level section of a rules file', () => {
    const schema = rulesJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        'attributes',
        'constraints',
        'description',
        'identifiers',
        'junk_values',
        'name',
        'rules',
        'sources',
        'survivorship',
        'version',
      ].sort(),
    );
    expect(schema.required.sort()).toEqual(['identifiers', 'rules', 'sources', 'version']);
  });
});
