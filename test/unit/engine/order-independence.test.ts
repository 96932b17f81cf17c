/**
 * The partition depends only on the set of records, never on their arrival order or batching:
 * random small worlds with heavy value collisions (shared phones and tablets, conflicting birth
 * dates, placeholders, nameless records, nicknames), ingested at once and then shuffled in random
 * batches, must agree, under the default rules and under guarded ones (guards between profiles,
 * compared fields, per-type distinct_people_by).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoadedRules } from '../../../src/engine/rules/loaded-rules.js';
import { openEngine, partition, rulesFrom, storeOf } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const EMAILS = [
  'ann@shop.io',
  'ann.lee@gmail.com',
  'annlee+x@gmail.com',
  'ben@shop.io',
  'kim@firm.co',
  'test@test.com',
];
const PHONES = ['020 7946 0001', '020 7946 0002', '+44 20 7946 0003'];
const NAMES = ['Ann', 'Anne', 'Ben', 'Kim', 'Richard', 'Rick'];
const DOBS = ['1990-01-15', '1985-05-05'];
const DEVICES = ['aece52e7-03ee-455a-b3c4-e57283966239', '4b61639e-1f55-4c8a-9d3e-2b7c6a1d0e9f'];
const COOKIES = ['ck-1', 'ck-2', 'ck-3'];

const maybe = <T>(values: readonly T[]) => fc.option(fc.constantFrom(...values), { nil: undefined });

interface Row {
  source: 'crm' | 'web' | 'app';
  row: Record<string, string>;
}

const rowArbitrary: fc.Arbitrary<Omit<Row, 'row'> & { fields: Record<string, string | undefined> }> = fc.oneof(
  fc.record({
    source: fc.constant('crm' as const),
    fields: fc.record({
      email: maybe(EMAILS),
      phone: maybe(PHONES),
      first_name: maybe(NAMES),
      last_name: maybe(['Lee', 'Leigh']),
      postcode: maybe(['SW1A 1AA']),
      dob: maybe(DOBS),
    }),
  }),
  fc.record({
    source: fc.constant('web' as const),
    fields: fc.record({ email: maybe(EMAILS), cookie_id: maybe(COOKIES) }),
  }),
  fc.record({
    source: fc.constant('app' as const),
    fields: fc.record({ idfa: maybe(DEVICES), email: maybe(EMAILS), phone: maybe(PHONES), first_name: maybe(NAMES) }),
  }),
);

const KEY_FIELD = { crm: 'customer_id', web: 'session_id', app: 'install_id' } as const;

function toRows(generated: { source: Row['source']; fields: Record<string, string | undefined> }[]): Row[] {
  return generated.map(({ source, fields }, index) => {
    const row: Record<string, string> = { [KEY_FIELD[source]]: `r${index}`, country: 'GB' };
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) row[name] = value;
    return { source, row };
  });
}

const GUARDED = rulesFrom(
  readFileSync(new URL('../../../rules/examples/household-guards.yaml', import.meta.url), 'utf8'),
);

async function ingestInBatches(rows: Row[], batchSizes: number[], rules: LoadedRules): Promise<string[][]> {
  const engine = await openEngine(await tempDir(), rules);
  let cursor = 0;
  let batch = 0;
  while (cursor < rows.length) {
    const size = Math.max(1, batchSizes[batch++ % batchSizes.length] ?? 1);
    const slice = rows.slice(cursor, cursor + size);
    cursor += size;
    // One source per engine.ingest call, as the CLI does.
    for (const source of ['crm', 'web', 'app'] as const) {
      const mine = slice.filter((row) => row.source === source).map((row) => row.row);
      if (mine.length > 0) await engine.ingest(source, mine);
    }
  }
  const result = await partition(storeOf(engine));
  await storeOf(engine).close();
  return result;
}

describe('order independence', () => {
  it.each([
    { name: 'the default rules', rules: rulesFrom(), runs: 60 },
    { name: 'guarded rules', rules: GUARDED, runs: 60 },
  ])('gives one partition for any arrival order and batching, under $name', async ({ rules, runs }) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArbitrary, { minLength: 2, maxLength: 18 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        async (generated, batchSizes, seed) => {
          const rows = toRows(generated);
          const all = await ingestInBatches(rows, [rows.length], rules);
          const shuffled = fc.sample(fc.shuffledSubarray(rows, { minLength: rows.length }), {
            numRuns: 1,
            seed,
          })[0] as Row[];
          const incremental = await ingestInBatches(shuffled, batchSizes, rules);
          expect(incremental).toEqual(all);
        },
      ),
      { numRuns: runs },
    );
  });
});
