import { type CompiledRules, compileRules } from '../../src/core/resolve/compiled-rules.js';
import { type RulesFile, rulesFileSchema } from '../../src/core/rules/schema.js';

/** A small rules file for core tests; sections can be overridden. */
export function testRulesFile(overrides: Partial<Record<keyof RulesFile, unknown>> = {}): RulesFile {
  return rulesFileSchema.parse({
    version: 1,
    identifiers: {
      email: { normalizer: 'email', shared_after: 3 },
      phone: { normalizer: 'phone', shared_after: 3 },
      device_id: { normalizer: 'device_id', shared_after: 2 },
      ssn: { normalizer: 'custom', max_per_profile: 1 },
    },
    attributes: {
      first_name: { normalizer: 'person_name' },
      last_name: { normalizer: 'person_name' },
      postcode: { normalizer: 'postal_code' },
      dob: { normalizer: 'date_of_birth' },
    },
    sources: {
      crm: {
        key: 'id',
        fields: {
          email: 'email',
          phone: 'phone',
          device: 'device_id',
          ssn: 'ssn',
          first_name: 'first_name',
          last_name: 'last_name',
          postcode: 'postcode',
          dob: 'dob',
        },
      },
    },
    rules: [
      { id: 'email', kind: 'deterministic', match: ['email'] },
      { id: 'device', kind: 'deterministic', match: ['device_id'] },
      { id: 'phone_first_name', kind: 'deterministic', match: ['phone', 'first_name'] },
      {
        id: 'name_postcode',
        kind: 'fuzzy',
        blocking: [['postcode', 'soundex(last_name)']],
        compare: [
          {
            field: 'first_name',
            comparator: 'jaro_winkler',
            levels: [{ min_similarity: 0.9, weight: 3 }],
            else_weight: -3,
          },
          {
            field: 'last_name',
            comparator: 'jaro_winkler',
            levels: [{ min_similarity: 0.9, weight: 3 }],
            else_weight: -3,
          },
          { field: 'dob', comparator: 'exact', weight: 2, else_weight: -5 },
        ],
        min_score: 7,
      },
    ],
    constraints: {
      never_merge_on_conflict: ['dob'],
      distinct_people_by: ['first_name', 'dob'],
      max_profile_records: 50,
    },
    ...overrides,
  });
}

export function testRules(overrides: Partial<Record<keyof RulesFile, unknown>> = {}): CompiledRules {
  return compileRules(testRulesFile(overrides));
}
