/**
 * People built from a batch as a worker gets it: the "after" view is every record of the profile,
 * the "before" view what the audience's rows named, whichever way they named it.
 */
import { describe, expect, it } from 'vitest';
import { buildPeople, type ProfileInput, packPeople, strayRefs } from '../../../src/audience/people-batch.js';
import { encodeRecord } from '../../../src/codec/record-codec.js';
import type { PersonValue } from '../../../src/core/audience/person.js';
import { createRecordNormalizers } from '../../../src/core/normalize/rules-normalizers.js';
import { prepareRecord } from '../../../src/engine/prepare/prepare-record.js';
import { testRulesFile } from '../../support/rules.js';

const rules = testRulesFile({
  sources: { crm: { key: 'id', fields: { email: 'email', phone: 'phone', first_name: 'first_name' } } },
});
const normalizers = createRecordNormalizers(rules);

const rows: Record<string, Record<string, string>> = {
  'crm:1': { id: '1', email: 'ann@example.com', first_name: 'Ann' },
  'crm:2': { id: '2', phone: '+44 7700 900123' },
  'crm:3': { id: '3', email: 'left@example.com' },
};
const encoded = new Map(
  Object.entries(rows).map(([ref, row]) => {
    const outcome = prepareRecord(rules, normalizers, 'crm', row);
    if (!outcome.ok) throw new Error(outcome.reason);
    return [ref, encodeRecord(outcome.record)];
  }),
);

const extra: PersonValue = { target: 'email', raw: 'row@example.com' };

function person(named: Partial<ProfileInput>) {
  const profile: ProfileInput = {
    profileId: 'p1',
    rows: 1,
    records: ['crm:1', 'crm:2'],
    wholeProfile: false,
    named: undefined,
    values: undefined,
    ...named,
  };
  // As a worker receives it: cloned.
  const batch = structuredClone(packPeople([profile], encoded, strayRefs([profile])));
  const [built] = buildPeople(batch, rules, normalizers);
  if (!built) throw new Error('no person');
  return { ...built, raw: (values: readonly PersonValue[]) => values.map((value) => value.raw) };
}

describe('buildPeople', () => {
  it('gives one view when a row named the whole profile, or its rows named every record', () => {
    for (const named of [
      { wholeProfile: true },
      { named: ['crm:1', 'crm:2'] },
      { wholeProfile: true, values: [extra] },
    ]) {
      const built = person(named);
      expect(built.raw(built.after)).toEqual(['ann@example.com', 'Ann', '+44 7700 900123']);
      expect(built.before).toBe(built.after);
    }
  });

  it('adds identifier rows to a "before" view of every record, and keeps apart what rows named of a profile', () => {
    const every = person({ named: ['crm:1', 'crm:2'], values: [extra] });
    expect(every.raw(every.before)).toEqual(['ann@example.com', 'Ann', '+44 7700 900123', 'row@example.com']);
    const one = person({ named: ['crm:2'] });
    expect(one.raw(one.before)).toEqual(['+44 7700 900123']);
    const valuesOnly = person({ values: [extra] });
    expect(valuesOnly.raw(valuesOnly.before)).toEqual(['row@example.com']);
  });

  it('reads a named record that left the profile into the "before" view only', () => {
    const built = person({ named: ['crm:3', 'crm:1'] });
    expect(built.raw(built.before)).toEqual(['ann@example.com', 'Ann', 'left@example.com']);
    expect(built.raw(built.after)).toEqual(['ann@example.com', 'Ann', '+44 7700 900123']);
    expect(built.records).toEqual(['crm:1', 'crm:2']);
  });
});
