/**
 * Why two records are apart (`idgraph explain A B` on records of different profiles): each reason the
 * resolver had, named with its rule and field, values masked.
 */
import { describe, expect, it } from 'vitest';
import { NO_TERM_FREQUENCIES } from '../../../src/core/resolve/term-frequencies.js';
import { explainPair } from '../../../src/queries/explain.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { DEFAULT_RULES_TEXT, engineOn, rulesFrom, storeOf } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';
import { ANN, ANN_AGAIN, BOB, household, rules } from './households.js';

const tempDir = useTempDirs();

/** The default rules with the phone rule guarded: the same phone links unless the first names differ. */
const GUARDED = DEFAULT_RULES_TEXT.replace(
  '    match: [phone, first_name]\n',
  '    match: [phone]\n    must_not_differ: [first_name]\n',
);

async function graphOf(rulesText: string, ...batches: Record<string, string>[][]) {
  const loaded = rulesFrom(rulesText);
  const engine = engineOn(await EmbeddedStore.open(await tempDir()), loaded);
  for (const batch of batches) await engine.ingest('crm', batch);
  return { store: storeOf(engine), rules: loaded, engine };
}

const noFrequencies = async () => NO_TERM_FREQUENCIES;

describe('explain on two records kept apart', () => {
  it('names the household phone rule: the first names differ', async () => {
    const { store } = await household(await tempDir(), [ANN, ANN_AGAIN], [BOB]);
    const answer = await explainPair(store, rules, 'crm:c1', 'crm:c3', noFrequencies);
    expect(answer.sameProfile).toBe(false);
    // The fuzzy rule compares them too (they share a phone, its blocking key) and finds the names disagree.
    expect(answer.apart).toEqual([
      { reason: 'field_differs', rule: 'phone_first_name', field: 'first_name' },
      { reason: 'score_below_threshold', rule: 'name_postcode_dob', score: -4, threshold: 8 },
    ]);
    await store.close();
  });

  it('names a guard that refused the merge, with the values masked and the side of each', async () => {
    const { store, rules: guarded } = await graphOf(GUARDED, [ANN], [BOB]);
    const answer = await explainPair(store, guarded, 'crm:c3', 'crm:c1', noFrequencies);
    expect(answer.apart).toEqual([
      {
        reason: 'guard_conflict',
        rule: 'phone_first_name',
        field: 'first_name',
        comparator: 'exact',
        value: 'a***',
        side: 'b',
        others: ['b***'],
      },
      { reason: 'score_below_threshold', rule: 'name_postcode_dob', score: -4, threshold: 8 },
    ]);
    // No raw value of either person is in the answer.
    expect(JSON.stringify(answer.apart)).not.toMatch(/ann|bob|7911/i);
    await store.close();
  });

  it('says a rule field is missing on the side that lacks it', async () => {
    const nameless = { customer_id: 'c9', phone: '07911 123456', country: 'GB' };
    const { store, rules: loaded } = await graphOf(DEFAULT_RULES_TEXT, [ANN], [nameless]);
    const answer = await explainPair(store, loaded, 'crm:c1', 'crm:c9', noFrequencies);
    expect(answer.apart).toContainEqual({
      reason: 'rule_field_missing',
      rule: 'phone_first_name',
      field: 'first_name',
      side: 'b',
    });
    await store.close();
  });

  it("says the first name is missing where nameless records are too many of the phone's records", async () => {
    // The phone links records without a first name only while they are at most a third of its records.
    const limited = DEFAULT_RULES_TEXT.replace(
      '    match: [phone, first_name]\n',
      '    match: [phone]\n    records_without: { field: first_name, max_share: 0.34 }\n',
    );
    const annAtWork = { ...ANN, customer_id: 'c4', email: 'ann@work.io' };
    const nameless = ['c8', 'c9', 'c10'].map((id) => ({ customer_id: id, phone: ANN.phone, country: 'GB' }));
    const { store, rules: loaded } = await graphOf(limited, [ANN, annAtWork], nameless);
    // Three of the five records on the phone have no name: Ann's two link, the three stay apart.
    expect((await explainPair(store, loaded, 'crm:c1', 'crm:c4', noFrequencies)).sameProfile).toBe(true);
    const answer = await explainPair(store, loaded, 'crm:c1', 'crm:c9', noFrequencies);
    // Counted over all five, as resolution did (with Ann's profile and c9 alone it would be 1 in 3).
    expect(answer.apart).toContainEqual({
      reason: 'rule_field_missing',
      rule: 'phone_first_name',
      field: 'first_name',
      side: 'b',
    });
    expect(answer.apart).not.toContainEqual({ reason: 'would_join_now' });
    await store.close();
  });

  it('names the manual decision that keeps two records with one email apart', async () => {
    const { store, rules: loaded, engine } = await graphOf(DEFAULT_RULES_TEXT, [ANN, ANN_AGAIN]);
    await engine.neverLink('crm:c1', 'crm:c2', { actor: 'steward' });
    const answer = await explainPair(store, loaded, 'crm:c1', 'crm:c2', noFrequencies);
    expect(answer.sameProfile).toBe(false);
    expect(answer.apart).toEqual([
      { reason: 'manual_decision', rule: 'email' },
      { reason: 'score_below_threshold', rule: 'name_postcode_dob', score: 3, threshold: 8 },
    ]);
    await store.close();
  });

  it('says when a value several people use is all they share', async () => {
    const family = [1, 2, 3].map((n) => ({
      customer_id: `f${n}`,
      email: 'family.home@shop.io',
      first_name: ['Ann', 'Bob', 'Cat'][n - 1] as string,
      last_name: ['Lee', 'Kim', 'Day'][n - 1] as string,
      country: 'GB',
    }));
    const { store, rules: loaded } = await graphOf(DEFAULT_RULES_TEXT, family);
    const answer = await explainPair(store, loaded, 'crm:f1', 'crm:f2', noFrequencies);
    expect(answer.sameProfile).toBe(false);
    expect(answer.apart).toContainEqual({
      reason: 'shared_value',
      rule: 'email',
      field: 'email',
      value: 'f***@s***.io',
    });
    await store.close();
  });

  it('gives the best fuzzy score when it stays below the threshold', async () => {
    const a = { customer_id: 'z1', first_name: 'Ann', last_name: 'Lee', postcode: 'SW1A 1AA', country: 'GB' };
    const b = { customer_id: 'z2', first_name: 'Zoe', last_name: 'Lee', postcode: 'SW1A 1AA', country: 'GB' };
    const { store, rules: loaded } = await graphOf(DEFAULT_RULES_TEXT, [a, b]);
    const answer = await explainPair(store, loaded, 'crm:z1', 'crm:z2', noFrequencies);
    const fuzzy = loaded.compiled.rules.find((rule) => rule.kind === 'fuzzy');
    expect(answer.apart).toEqual([
      {
        reason: 'score_below_threshold',
        rule: 'name_postcode_dob',
        score: expect.any(Number),
        threshold: fuzzy?.kind === 'fuzzy' ? fuzzy.minScore : Number.NaN,
      },
    ]);
    const [reason] = answer.apart;
    expect(reason?.reason === 'score_below_threshold' && reason.score < reason.threshold).toBe(true);
    await store.close();
  });

  it('says nothing links two strangers', async () => {
    const stranger = { customer_id: 'c7', email: 'someone@else.org', first_name: 'Eve', country: 'FR' };
    const { store, rules: loaded } = await graphOf(DEFAULT_RULES_TEXT, [ANN], [stranger]);
    expect((await explainPair(store, loaded, 'crm:c1', 'crm:c7', noFrequencies)).apart).toEqual([
      { reason: 'no_shared_evidence' },
    ]);
    await store.close();
  });

  it('has no reasons for two records of one profile', async () => {
    const { store } = await household(await tempDir(), [ANN, ANN_AGAIN]);
    const answer = await explainPair(store, rules, 'crm:c1', 'crm:c2', noFrequencies);
    expect(answer).toMatchObject({ sameProfile: true, apart: [] });
    await store.close();
  });
});
