/**
 * Term frequencies through the engine: a shared common first name weighs less than a rare one,
 * on the incremental path and the bulk path alike, with counts of every record in the store.
 */
import { describe, expect, it } from 'vitest';
import type { PackedRecord } from '../../../src/codec/packed-record.js';
import type { Engine } from '../../../src/engine/engine.js';
import { explainPair } from '../../../src/queries/explain.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { generateRecords } from '../../../src/synth/generate.js';
import { DEFAULT_RULES_TEXT, engineOn, partition, reviewFindings, rulesFrom, storeOf } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const rulesText = (termFrequency: boolean) => `
version: 1
identifiers:
  email: { normalizer: email }
attributes:
  first_name: { normalizer: person_name }
  last_name: { normalizer: person_name }
  postcode: { normalizer: text }
sources:
  crm:
    key: id
    fields: { email: email, first_name: first_name, last_name: last_name, postcode: postcode }
rules:
  - id: email
    kind: deterministic
    match: [email]
  - id: names
    kind: fuzzy
    blocking: [[postcode]]
    compare:
      - { field: first_name, comparator: exact, weight: 4, else_weight: -4${termFrequency ? ', term_frequency: true' : ''} }
      - { field: last_name, comparator: exact, weight: 3, else_weight: -3 }
    min_score: 7
`;

/** Letters only, as names keep: 0 -> "aa", 1 -> "ab", ... */
const letters = (index: number) => `${'abcdefghij'[Math.floor(index / 10)]}${'abcdefghij'[index % 10]}`;

/** 40 people called John and 40 of rare first names, each alone at a postcode: what makes John common. */
const crowd = [
  ...Array.from({ length: 40 }, (_, at) => ({
    id: `j${at}`,
    first_name: 'John',
    last_name: `Filler${letters(at)}`,
    postcode: `F${at}`,
  })),
  ...Array.from({ length: 40 }, (_, at) => ({
    id: `r${at}`,
    first_name: `Rare${letters(at)}`,
    last_name: `Other${letters(at)}`,
    postcode: `G${at}`,
  })),
];

/** Two pairs alike but for the first name they share: the threshold (7) sits between their scores. */
const pairs = [
  { id: 'c1', first_name: 'John', last_name: 'Smith', postcode: 'P1' },
  { id: 'c2', first_name: 'John', last_name: 'Smith', postcode: 'P1' },
  { id: 'c3', first_name: 'Zbigniew', last_name: 'Smith', postcode: 'P2' },
  { id: 'c4', first_name: 'Zbigniew', last_name: 'Smith', postcode: 'P2' },
];

async function engineWith(text: string, folder?: string): Promise<Engine> {
  return engineOn(await EmbeddedStore.open(folder ?? (await tempDir())), rulesFrom(text));
}

const together = async (engine: Engine, a: string, b: string) => {
  const ids = await storeOf(engine).profileIdsOf([a, b]);
  return ids.get(a) === ids.get(b);
};

describe('term_frequency on a fuzzy comparison', () => {
  it('links two records sharing a rare first name and keeps apart two sharing a common one', async () => {
    const engine = await engineWith(rulesText(true));
    await engine.ingest('crm', crowd);
    await engine.ingest('crm', pairs);
    expect(await together(engine, 'crm:c3', 'crm:c4')).toBe(true);
    expect(await together(engine, 'crm:c1', 'crm:c2')).toBe(false);

    // john: 42 of 84 first names, zbigniew 2; u = (42^2 + 2^2 + 40) / 84^2.
    const store = storeOf(engine);
    const profile = (
      await store.getProfiles([(await store.profileIdsOf(['crm:c3'])).get('crm:c3') as string])
    ).values();
    const first = [...profile][0]?.edges[0]?.evidence.find((item) => item.field === 'first_name');
    expect(first?.termFrequencyAdjustment).toBeCloseTo(Math.log2(1808 / (84 * 2)), 3);
    const rules = rulesFrom(rulesText(true));
    const apart = await explainPair(store, rules, 'crm:c1', 'crm:c2', () => engine.termFrequencies());
    expect(apart.apart).toEqual([
      {
        reason: 'score_below_threshold',
        rule: 'names',
        score: Math.round((4 + Math.log2(1808 / (84 * 42)) + 3) * 1000) / 1000,
        threshold: 7,
      },
    ]);
    await store.close();

    // Without term_frequency both pairs reach 7, and both link.
    const plain = await engineWith(rulesText(false));
    await plain.ingest('crm', [...crowd, ...pairs]);
    expect(await together(plain, 'crm:c1', 'crm:c2')).toBe(true);
    expect(await together(plain, 'crm:c3', 'crm:c4')).toBe(true);
    await storeOf(plain).close();
  });

  it('counts the whole store, not only the batch: an engine opened later counts what is there', async () => {
    const folder = await tempDir();
    const first = await engineWith(rulesText(true), folder);
    await first.ingest('crm', crowd);
    await storeOf(first).close();
    // Counted from the batch alone, John would be the only first name (no adjustment), and link.
    const later = await engineWith(rulesText(true), folder);
    await later.ingest('crm', pairs.slice(0, 2));
    expect(await together(later, 'crm:c1', 'crm:c2')).toBe(false);
    await storeOf(later).close();
  });

  it('keeps its counts true through updates and erasure: they equal a fresh count of the store', async () => {
    const folder = await tempDir();
    const engine = await engineWith(rulesText(true), folder);
    await engine.ingest('crm', [...crowd, ...pairs]);
    // Ten Johns renamed, one rare name taken up by a John.
    await engine.ingest(
      'crm',
      crowd.slice(0, 10).map((row) => ({ ...row, first_name: 'Zbigniew' })),
    );
    await engine.ingest('crm', [{ ...(crowd[45] as (typeof crowd)[number]), first_name: 'John' }]);
    const store = storeOf(engine);
    const erased = (await store.profileIdsOf(['crm:c3'])).get('crm:c3') as string;
    await engine.erase([erased], { actor: 'test' });
    const kept = await engine.termFrequencies();
    await store.close();
    const reopened = await engineWith(rulesText(true), folder);
    const fresh = await reopened.termFrequencies();
    await storeOf(reopened).close();
    // John: 40 - 10 + 1 + 2 of 82 names; Zbigniew: 10 (c3 and c4 erased together); 39 rare names.
    for (const name of ['john', 'zbigniew', `rare${letters(5)}`, 'nobody']) {
      expect(kept.adjustment('first_name', name, 10)).toBe(fresh.adjustment('first_name', name, 10));
    }
    expect(kept.adjustment('first_name', 'john', 10)).toBeCloseTo(Math.log2((33 ** 2 + 10 ** 2 + 39) / (82 * 33)), 3);
  });

  it('resolves the same partition on the bulk path as on incremental ingest', async () => {
    // The default rules, with the fuzzy rule's names weighed by frequency.
    const text = DEFAULT_RULES_TEXT.replace(
      '        else_weight: -4\n',
      '        else_weight: -4\n        term_frequency: true\n',
    ).replace(
      '        else_weight: -3\n',
      '        else_weight: -3\n        term_frequency: true\n        max_adjustment: 3\n',
    );
    expect(text.match(/term_frequency: true/g)).toHaveLength(2);
    const records = [...generateRecords({ seed: 7, records: 3000 })];
    const sources = [...new Set(records.map((record) => record.source))];
    const rowsOf = (source: string) => records.filter((record) => record.source === source).map((r) => r.fields);

    const incremental = await engineWith(text);
    for (const source of sources) await incremental.ingest(source, rowsOf(source));
    const bulk = await engineWith(text);
    const packed: PackedRecord[] = [];
    for (const source of sources) packed.push(...bulk.packRows(source, rowsOf(source)).packed);
    await bulk.loadBulk(packed, { workers: 1 });
    expect(await partition(storeOf(bulk))).toEqual(await partition(storeOf(incremental)));
    expect(await reviewFindings(storeOf(bulk))).toEqual(await reviewFindings(storeOf(incremental)));

    // And frequencies moved some decision: without them the partition differs.
    const plain = await engineWith(DEFAULT_RULES_TEXT);
    for (const source of sources) await plain.ingest(source, rowsOf(source));
    expect(await partition(storeOf(plain))).not.toEqual(await partition(storeOf(incremental)));
    for (const engine of [incremental, bulk, plain]) await storeOf(engine).close();
  });
});
