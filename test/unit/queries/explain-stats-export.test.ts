import { describe, expect, it } from 'vitest';
import { NO_TERM_FREQUENCIES } from '../../../src/core/resolve/term-frequencies.js';
import { explainEndOf, explainPair } from '../../../src/queries/explain.js';
import { exportedProfiles, recordRows } from '../../../src/queries/export.js';
import { graphStats } from '../../../src/queries/stats.js';
import { useTempDirs } from '../../support/temp-dir.js';
import { ANN, ANN_AGAIN, BOB, household, rules } from './households.js';

const tempDir = useTempDirs();

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const noFrequencies = async () => NO_TERM_FREQUENCIES;

describe('explainPair', () => {
  it('gives the evidence between two records, or between a record and an identifier', async () => {
    const { store, ann } = await household(await tempDir(), [ANN, ANN_AGAIN], [BOB]);
    const byRefs = await explainPair(store, rules, 'crm:c1', 'crm:c2', noFrequencies);
    expect(byRefs).toMatchObject({ sameProfile: true, profileId: ann, profiles: [ann, ann] });
    expect(byRefs.path.map((edge) => [edge.a, edge.b, edge.rule])).toEqual([['crm:c1', 'crm:c2', 'email']]);
    const byIdentifier = await explainPair(
      store,
      rules,
      explainEndOf(rules, 'email=ANNLEE@gmail.com'),
      'crm:c2',
      noFrequencies,
    );
    expect(byIdentifier).toMatchObject({ sameProfile: true, profileId: ann });
    expect(byIdentifier.path).toHaveLength(1);
    await store.close();
  });

  it('says when the two are apart, naming both profiles', async () => {
    const { store, ann, bob } = await household(await tempDir(), [ANN, ANN_AGAIN], [BOB]);
    expect(await explainPair(store, rules, 'crm:c2', 'crm:c3', noFrequencies)).toEqual({
      sameProfile: false,
      profileId: null,
      path: [],
      profiles: [ann, bob],
      // c2 has no phone or name of its own: its profile (Ann's) is judged as a whole.
      apart: [
        { reason: 'field_differs', rule: 'phone_first_name', field: 'first_name' },
        { reason: 'score_below_threshold', rule: 'name_postcode_dob', score: -4, threshold: 8 },
      ],
    });
    await store.close();
  });

  it.each([
    { description: 'a record that does not exist', end: 'crm:c9', code: 'NOT_FOUND' },
    {
      description: 'an identifier nobody holds',
      end: { type: 'email', value: 'zoe.quill@shop.io' },
      code: 'NOT_FOUND',
    },
    { description: 'an identifier of an unknown type', end: { type: 'fax', value: '1' }, code: 'UNKNOWN_TYPE' },
    { description: 'an unusable identifier', end: { type: 'email', value: 'no at sign' }, code: 'UNUSABLE_VALUE' },
  ])('refuses $description with $code', async ({ end, code }) => {
    const { store } = await household(await tempDir(), [ANN]);
    await expect(explainPair(store, rules, 'crm:c1', end, noFrequencies)).rejects.toMatchObject({ code });
    await store.close();
  });

  it('reads type=value as an identifier only for a type of the rules', () => {
    expect(explainEndOf(rules, 'email=a@b.io')).toEqual({ type: 'email', value: 'a@b.io' });
    expect(explainEndOf(rules, 'crm:k=v')).toBe('crm:k=v');
    expect(explainEndOf(rules, 'crm:1001')).toBe('crm:1001');
  });
});

describe('graphStats', () => {
  it('counts records, profiles, merges per rule and shared values as of the last commit', async () => {
    const { store, ann } = await household(await tempDir(), [ANN, ANN_AGAIN], [BOB]);
    expect(await graphStats(store)).toMatchObject({
      commit: 2,
      records: 3,
      profiles: 2,
      mergesPerRule: { email: 1 },
      sizeDistribution: { '1': 1, '2': 1 },
      largestProfiles: [{ profileId: ann, records: 2 }, expect.anything()],
    });
    await store.close();
  });
});

describe('export', () => {
  it('lists every record with its profile, in reference order', async () => {
    const { store, ann, bob } = await household(await tempDir(), [BOB], [ANN, ANN_AGAIN]);
    expect(await collect(recordRows(store))).toEqual([
      { source: 'crm', recordId: 'c1', profileId: ann },
      { source: 'crm', recordId: 'c2', profileId: ann },
      { source: 'crm', recordId: 'c3', profileId: bob },
    ]);
    await store.close();
  });

  it('gives every profile with its records, identifier counts and golden attributes', async () => {
    const { store, ann } = await household(await tempDir(), [ANN, ANN_AGAIN]);
    const [profile, ...rest] = await collect(exportedProfiles(store, rules));
    expect(rest).toEqual([]);
    expect(profile).toMatchObject({
      profile_id: ann,
      records: [
        { source: 'crm', record_id: 'c1' },
        { source: 'crm', record_id: 'c2' },
      ],
      attributes: { first_name: 'ann' },
    });
    expect(profile?.identifiers).toContainEqual({ type: 'phone', value: '+447911123456', records: 1 });
    await store.close();
  });
});
