/**
 * A stored record's values for audiences: which of them the graph shows the rules accepted, and
 * the rules' canonical form. A report trusts these to skip the junk check and the phone parse, so
 * evaluating with them must give what evaluating the bare raw values gives.
 */
import { describe, expect, it } from 'vitest';
import { type EvaluationSettings, evaluatePerson } from '../../../src/core/audience/evaluate-person.js';
import type { PersonValue } from '../../../src/core/audience/person.js';
import { recordValues } from '../../../src/core/audience/record-values.js';
import { DESTINATIONS } from '../../../src/core/destinations/catalog.js';
import { DESTINATION_IDS } from '../../../src/core/destinations/destination-profile.js';
import { fieldForRulesTarget } from '../../../src/core/destinations/field-for-type.js';
import type { DestinationField } from '../../../src/core/destinations/types.js';
import { createRecordNormalizers } from '../../../src/core/normalize/rules-normalizers.js';
import type { PreparedRecord } from '../../../src/core/resolve/types.js';
import { prepareRecord } from '../../../src/engine/prepare/prepare-record.js';
import { testRulesFile } from '../../support/rules.js';

const rules = testRulesFile({
  sources: {
    crm: {
      key: 'id',
      country: { field: 'country' },
      fields: { email: 'email', phone: 'phone', mobile: 'phone', first_name: 'first_name', postcode: 'postcode' },
    },
  },
});
const normalizers = createRecordNormalizers(rules);

function prepared(row: Record<string, string>): PreparedRecord {
  const outcome = prepareRecord(rules, normalizers, 'crm', { id: 'r1', country: 'GB', ...row });
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.record;
}

const byTarget = (values: PersonValue[], target: string) => values.filter((value) => value.target === target);

describe('recordValues', () => {
  it('marks values the rules accepted and gives the canonical form of a lone value', () => {
    const values = recordValues(
      prepared({ email: ' Ann@Acme-Mail.co.uk', phone: '020 7946 0018', first_name: 'Ann', postcode: 'sw1a 1aa' }),
      rules,
      normalizers,
    );
    expect(byTarget(values, 'phone')).toEqual([
      { target: 'phone', raw: '020 7946 0018', country: 'GB', accepted: true, canonical: '+442079460018' },
    ]);
    expect(byTarget(values, 'email')[0]?.accepted).toBe(true);
    expect(byTarget(values, 'postcode')[0]).toMatchObject({ accepted: true, canonical: 'SW1A 1AA' });
  });

  it('leaves junk and refused values unmarked, so they are checked again', () => {
    const values = recordValues(prepared({ email: 'test@test.com', phone: '12345' }), rules, normalizers);
    expect(byTarget(values, 'email')[0]?.accepted).toBeUndefined();
    expect(byTarget(values, 'phone')[0]?.accepted).toBeUndefined();
  });

  it('with two fields on one target, marks both only when both were accepted, and gives no canonical form', () => {
    const both = recordValues(prepared({ phone: '020 7946 0018', mobile: '07700 900123' }), rules, normalizers);
    expect(byTarget(both, 'phone').map((value) => [value.accepted, value.canonical])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
    const oneBad = recordValues(prepared({ phone: '020 7946 0018', mobile: '12345' }), rules, normalizers);
    expect(byTarget(oneBad, 'phone').map((value) => value.accepted)).toEqual([undefined, undefined]);
    // Two fields with one number: one identifier for two raw values, so neither can be vouched for.
    const same = recordValues(prepared({ phone: '020 7946 0018', mobile: '+44 20 7946 0018' }), rules, normalizers);
    expect(byTarget(same, 'phone').map((value) => value.accepted)).toEqual([undefined, undefined]);
  });

  it('evaluates for every destination exactly as the bare raw values do', () => {
    const fieldOf = new Map<string, DestinationField>();
    for (const [name, config] of Object.entries({ ...rules.identifiers, ...rules.attributes })) {
      const field = fieldForRulesTarget(name, config.normalizer);
      if (field) fieldOf.set(name, field);
    }
    // The rules' own verdict on every value, asked even of values the graph vouches for.
    const junk: EvaluationSettings['junk'] = (value) => {
      const result = normalizers.normalize(value.target, value.raw, value.country ? { country: value.country } : {});
      return !result.ok && (result.reason === 'JUNK_VALUE' || result.reason === 'BLOCKED_VALUE')
        ? result.reason
        : undefined;
    };
    const rows: Record<string, string>[] = [
      { email: 'ann@acme-mail.co.uk', phone: '020 7946 0018', first_name: 'Ann', postcode: 'SW1A 1AA' },
      { email: 'test@test.com', phone: '+1 212 555 0100', mobile: '07700 900123' },
      { email: 'bob@gmail.com', phone: '0000000000', first_name: 'B' },
    ];
    for (const row of rows) {
      const withGraph = recordValues(prepared(row), rules, normalizers);
      const bare = withGraph.map(({ target, raw, country }) => (country ? { target, raw, country } : { target, raw }));
      for (const id of DESTINATION_IDS) {
        const settings: EvaluationSettings = { destination: DESTINATIONS[id], fieldOf, junk, withUpload: true };
        expect(evaluatePerson(withGraph, settings), `${id} ${JSON.stringify(row)}`).toEqual(
          evaluatePerson(bare, settings),
        );
      }
    }
  });
});
