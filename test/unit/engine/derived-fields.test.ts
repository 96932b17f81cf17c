/** Derived fields are applied on every path into the store: incremental ingest and the bulk load. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareRecord } from '../../../src/engine/prepare/prepare-record.js';
import { generateRecords } from '../../../src/synth/generate.js';
import { openEngine, partition, rulesFrom, storeOf } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();
const SIX_SOURCES = readFileSync(new URL('../../../rules/examples/six-sources.yaml', import.meta.url), 'utf8');
const SOURCES = ['crm', 'web', 'app', 'pos', 'support', 'orders'] as const;

describe('derived fields', () => {
  const rules = rulesFrom(SIX_SOURCES);

  it('split a one-field name and read a nested postcode into attributes', () => {
    const row = {
      order_id: 'O1',
      shipping_name: 'Mrs. PARKER, Alice',
      shipping_address: { zip: 'sw1a 1aa' },
      country: 'GB',
      phone: '07700 900123',
    };
    const outcome = prepareRecord(rules.file, rules.normalizers, 'orders', row);
    if (!outcome.ok) throw new Error(outcome.reason);
    const { attributes, fields, identifiers } = outcome.record;
    const keyOf = (target: string, raw: string) => {
      const result = rules.normalizers.normalize(target, raw, {});
      return result.ok ? result.key : undefined;
    };
    expect(attributes.first_name?.key).toBe(keyOf('first_name', 'Alice'));
    expect(attributes.last_name?.key).toBe(keyOf('last_name', 'Parker'));
    expect(attributes.postcode?.value).toBe('SW1A 1AA');
    expect(identifiers.map((identifier) => identifier.type)).toEqual(['phone']);
    // The raw values read are kept, by path, so re-preparing the stored fields gives the same record.
    expect(fields['shipping_address.zip']).toBe('sw1a 1aa');
    const again = prepareRecord(rules.file, rules.normalizers, 'orders', { ...fields, order_id: 'O1' });
    expect(again.ok && again.record.attributes).toEqual(outcome.record.attributes);
  });

  it('count a name the normalizer refuses under the derived field', () => {
    const outcome = prepareRecord(rules.file, rules.normalizers, 'pos', {
      receipt_id: 'R1',
      customer_name: 'Alice ???',
    });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.refusals.map((refusal) => refusal.field)).toEqual(['derived.last_name']);
  });

  it('give the same profiles through incremental ingest and the bulk path', async () => {
    const records = [...generateRecords({ seed: 8, people: 600, shape: 'six-sources' })];
    const bySource = (source: string) =>
      records.filter((record) => record.source === source).map((record) => nest(record.fields));
    const incremental = await openEngine(await tempDir(), rules);
    for (const source of SOURCES) await incremental.ingest(source, bySource(source));
    const bulk = await openEngine(await tempDir(), rules);
    await bulk.loadBulk(SOURCES.flatMap((source) => bulk.packRows(source, bySource(source)).packed));
    const expected = await partition(storeOf(incremental));
    expect(await partition(storeOf(bulk))).toEqual(expected);
    // Receipts with a name and a phone join the CRM record of the same person through phone +
    // first name, which only the derived first name makes possible.
    const named = records.filter((record) => record.source === 'pos' && record.fields.customer_name);
    const joined = expected.filter((members) =>
      members.some(
        (ref) => named.some((record) => ref === `pos:${record.recordId}`) && members.some((m) => m.startsWith('crm:')),
      ),
    );
    expect(joined.length).toBeGreaterThan(20);
  });
});

/** As an NDJSON export holds it: `shipping_address.zip` inside a `shipping_address` object. */
function nest(fields: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    const [head, tail] = field.split('.') as [string, string | undefined];
    if (tail === undefined) out[head] = value;
    else out[head] = { ...((out[head] as object | undefined) ?? {}), [tail]: value };
  }
  return out;
}
