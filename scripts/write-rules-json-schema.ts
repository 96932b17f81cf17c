/** Writes rules/idgraph-rules.schema.json from the zod schema (npm run rules:schema). */
import { writeFile } from 'node:fs/promises';
import { rulesJsonSchema } from '../src/core/rules/json-schema.js';

const target = new URL('../rules/idgraph-rules.schema.json', import.meta.url);
await writeFile(target, `${JSON.stringify(rulesJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
