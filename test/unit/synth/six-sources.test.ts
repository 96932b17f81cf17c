import { describe, expect, it } from 'vitest';
import { generateRecords } from '../../../src/synth/generate.js';
import type { SyntheticRecord } from '../../../src/synth/records.js';

const take = (seed: number, people: number): SyntheticRecord[] => [
  ...generateRecords({ seed, people, shape: 'six-sources' }),
];

describe('six-sources synthetic data', () => {
  const records = take(11, 4000);
  const of = (source: string) => records.filter((record) => record.source === source);

  it('is the same for the same seed and differs from the classic shape', () => {
    expect(take(11, 300)).toEqual(records.slice(0, take(11, 300).length));
    const classic = [...generateRecords({ seed: 11, people: 300 })];
    expect(classic.some((record) => record.source === 'pos')).toBe(false);
    expect(new Set(records.map((record) => record.source))).toEqual(
      new Set(['crm', 'web', 'app', 'pos', 'support', 'orders']),
    );
  });

  it('never names app installs and leaves about 40% of till receipts nameless', () => {
    expect(of('app').every((record) => !('first_name' in record.fields) && !('customer_name' in record.fields))).toBe(
      true,
    );
    const receipts = of('pos');
    const nameless = receipts.filter((record) => record.fields.customer_name === undefined).length / receipts.length;
    expect(nameless).toBeGreaterThan(0.35);
    expect(nameless).toBeLessThan(0.45);
    const tagged = receipts.filter((record) => record.traits?.includes('nameless_phone'));
    expect(tagged.every((record) => record.fields.phone !== undefined && !record.fields.customer_name)).toBe(true);
  });

  it('keeps names in one field outside the CRM, in the spellings clerks use', () => {
    const names = [...of('pos'), ...of('support'), ...of('orders')]
      .map((record) => record.fields.customer_name ?? record.fields.requester ?? record.fields.shipping_name)
      .filter((name): name is string => name !== undefined);
    expect(names.some((name) => /^[A-Z'\- ]+, \S+$/.test(name))).toBe(true); // "PARKER, Alice"
    expect(names.some((name) => /^(Mr|Mrs|Ms|Dr)\.? /.test(name))).toBe(true);
    expect(names.some((name) => /^[a-z]+ [a-z]\.$/.test(name))).toBe(true); // "alice p."
    expect(of('orders').every((record) => record.fields.first_name === undefined)).toBe(true);
    expect(of('orders').some((record) => record.fields['shipping_address.zip'] !== undefined)).toBe(true);
  });

  it('puts a personal and a work email of one person on one browser cookie', () => {
    const emailsByCookie = new Map<string, Set<string>>();
    for (const record of of('web')) {
      const email = record.fields.email?.toLowerCase();
      if (!email || !record.fields.cookie_id) continue;
      const set = emailsByCookie.get(record.fields.cookie_id) ?? new Set();
      set.add(email.split('@')[1] as string);
      emailsByCookie.set(record.fields.cookie_id, set);
    }
    const both = [...emailsByCookie.values()].filter(
      (domains) =>
        domains.has('gmail.com') &&
        [...domains].some(
          (domain) =>
            /\.(com|de|fr|io|net|co\.uk)$/.test(domain) &&
            !/gmail|yahoo|outlook|hotmail|icloud|gmx|web\.de|orange|free|aol|proton/.test(domain),
        ),
    );
    expect(both.length).toBeGreaterThan(5);
    expect(records.filter((record) => record.traits?.includes('work_email')).length).toBeGreaterThan(100);
  });

  it('uses nicknames beside the formal name and tags household values', () => {
    const rick = records.filter((record) => record.traits?.includes('nickname'));
    expect(rick.length).toBeGreaterThan(50);
    const household = records.filter((record) => record.traits?.includes('household'));
    expect(household.length).toBeGreaterThan(200);
  });
});
