import { describe, expect, it } from 'vitest';
import { generateRecords } from '../../../src/synth/generate.js';
import type { SyntheticRecord } from '../../../src/synth/records.js';

const take = (options: Parameters<typeof generateRecords>[0]) => [...generateRecords(options)];

describe('synthetic data', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = take({ seed: 7, people: 200 });
    expect(take({ seed: 7, people: 200 })).toEqual(a);
    expect(take({ seed: 8, people: 200 })).not.toEqual(a);
  });

  it('gives every record a unique id per source and a person', () => {
    const records = take({ seed: 1, records: 5000 });
    expect(records).toHaveLength(5000);
    const keys = new Set(records.map((record) => `${record.source}:${record.recordId}`));
    expect(keys.size).toBe(records.length);
    expect(records.every((record) => /^P\d+-\d$/.test(record.personId))).toBe(true);
  });

  it('makes household members share landlines and tablets, and people keep their emails to themselves', () => {
    const records = take({ seed: 3, people: 3000 });
    const holders = (field: string) => {
      const people = new Map<string, Set<string>>();
      for (const record of records) {
        const value = record.fields[field];
        if (!value) continue;
        const key = value.replace(/\D/g, '').slice(-9) || value.toLowerCase();
        const set = people.get(key) ?? new Set();
        set.add(record.personId);
        people.set(key, set);
      }
      return [...people.values()];
    };
    const sharedPhones = holders('phone').filter((set) => set.size > 1);
    expect(sharedPhones.length).toBeGreaterThan(50);
    for (const people of sharedPhones.slice(0, 50)) {
      const households = new Set([...people].map((person) => person.split('-')[0]));
      // Junk placeholders aside, a shared phone belongs to one household.
      if (people.size < 20) expect(households.size).toBe(1);
    }
    const devices = [...holders('idfa'), ...holders('gaid')].filter((set) => set.size > 1);
    expect(devices.length).toBeGreaterThan(10);
  });

  it('adds placeholders and typos at about the configured rates', () => {
    const records: SyntheticRecord[] = take({
      seed: 5,
      records: 20000,
      noise: { junk: 0.05, nameTypo: 0, domainTypo: 0, roleMailbox: 0 },
    });
    const emails = records.map((record) => record.fields.email).filter((email): email is string => Boolean(email));
    const junk = emails.filter((email) =>
      ['test@test.com', 'noemail@noemail.com', 'none@none.com', 'n/a'].includes(email),
    );
    expect(junk.length / emails.length).toBeGreaterThan(0.03);
    expect(junk.length / emails.length).toBeLessThan(0.07);
    expect(emails.some((email) => email.startsWith('info@'))).toBe(false);
  });

  it('streams: a large volume is generated without holding it', () => {
    let count = 0;
    for (const _record of generateRecords({ seed: 9, records: 200_000 })) count++;
    expect(count).toBe(200_000);
  });
});
