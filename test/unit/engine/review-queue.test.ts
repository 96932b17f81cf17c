/**
 * The review queue through the engine, on the default rules (their fuzzy rule reviews 5 up to 8):
 * items appear with the commit that found them, are found again when their records change (and go
 * when the pair now matches or leaves the band), and a decision links or keeps apart for good.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import { rulesDiffReport } from '../../../src/engine/rules/rules-diff.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import {
  DEFAULT_RULES_TEXT,
  engineOn,
  fixedClock,
  openEngine,
  profileOf,
  reviewFindings,
  rulesFrom,
  storeOf,
} from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const crm = (id: string, fields: Record<string, string>) => ({ customer_id: id, country: 'GB', ...fields });
/** Ann Lee and Anne Lee at one postcode: 2 (first names close) + 3 + 2 = 7, in the band. */
const ANN = crm('c1', { first_name: 'Ann', last_name: 'Lee', postcode: 'N1 9GU', email: 'ann.lee@shop.io' });
const ANNE = crm('c2', { first_name: 'Anne', last_name: 'Lee', postcode: 'N1 9GU' });

async function open(engine: Engine) {
  return (await storeOf(engine).reviewItems({ status: 'open', offset: 0, limit: 100 })).items;
}

async function withPair(): Promise<Engine> {
  const engine = await openEngine(await tempDir());
  await engine.ingest('crm', [ANN, ANNE]);
  return engine;
}

describe('the review queue', () => {
  it('holds a pair scoring in the band, found by the commit that ingested it', async () => {
    const engine = await openEngine(await tempDir());
    await engine.ingest('crm', [crm('c0', { email: 'someone@shop.io' })]);
    const { commit } = await engine.ingest('crm', [ANN, ANNE]);
    const items = await open(engine);
    expect(items).toEqual([
      {
        id: expect.stringMatching(/^r_[0-9a-f]{20}$/),
        a: 'crm:c1',
        b: 'crm:c2',
        kind: 'score_band',
        rule: 'name_postcode_dob',
        score: 7,
        threshold: 8,
        status: 'open',
        createdCommit: commit,
        createdAt: fixedClock().toISOString(),
        updatedCommit: commit,
        updatedAt: fixedClock().toISOString(),
      },
    ]);
    expect(await profileOf(storeOf(engine), 'crm:c1')).not.toBe(await profileOf(storeOf(engine), 'crm:c2'));
    // Read by record, open or decided.
    expect(await storeOf(engine).reviewItemsOf(['crm:c2'])).toEqual(items);
    expect(await storeOf(engine).reviewItemsOf(['crm:c0'])).toEqual([]);
    await storeOf(engine).close();
  });

  it('finds an item again when a record changes: a new score keeps its ID and creation', async () => {
    const engine = await withPair();
    const [before] = await open(engine);
    // Same first name now, but another postcode (the email's local part still blocks them): 4 + 3 - 1 = 6.
    const { commit } = await engine.ingest('crm', [
      crm('c2', { first_name: 'Ann', last_name: 'Lee', postcode: 'E1 6AN', email: 'ann.lee@elsewhere.org' }),
    ]);
    const [after] = await open(engine);
    expect(after).toMatchObject({
      id: before?.id,
      score: 6,
      createdCommit: before?.createdCommit,
      updatedCommit: commit,
    });
    // A change elsewhere does not touch it.
    await engine.ingest('crm', [crm('c9', { email: 'nobody@shop.io' })]);
    expect(await open(engine)).toEqual([after]);
    await storeOf(engine).close();
  });

  it('drops an item once the pair matches, or no longer scores in the band', async () => {
    const matching = await withPair();
    await matching.ingest('crm', [{ ...ANNE, first_name: 'Ann' }]);
    expect(await profileOf(storeOf(matching), 'crm:c2')).toBe(await profileOf(storeOf(matching), 'crm:c1'));
    expect(await open(matching)).toEqual([]);
    await storeOf(matching).close();

    const apart = await withPair();
    await apart.ingest('crm', [{ ...ANNE, first_name: 'Zoe' }]);
    expect(await open(apart)).toEqual([]);
    // And back when the record changes back.
    await apart.ingest('crm', [ANNE]);
    expect(await open(apart)).toHaveLength(1);
    await storeOf(apart).close();
  });

  it('keeps apart for good on a keep_apart decision: recorded with the actor, never reopened', async () => {
    const engine = await withPair();
    const [item] = await open(engine);
    const result = await engine.decideReview(item?.id as string, 'keep_apart', {
      actor: 'user:kim',
      note: 'two people',
    });
    expect(result.item).toMatchObject({
      id: item?.id,
      status: 'decided',
      createdCommit: item?.createdCommit,
      updatedCommit: result.commit,
      decision: { action: 'keep_apart', actor: 'user:kim', note: 'two people', decisionId: `d${result.commit}` },
    });
    const store = storeOf(engine);
    expect((await store.reviewItemsById([item?.id as string])).get(item?.id as string)).toEqual(result.item);
    const [decision] = await store.decisionsFor(['crm:c1']);
    expect(decision).toMatchObject({
      actor: 'user:kim',
      decision: { kind: 'keep_apart', sideA: ['crm:c1'], sideB: ['crm:c2'] },
    });
    // A change that keeps the pair in the band, and one that would now merge it: neither reopens it.
    await engine.ingest('crm', [{ ...ANNE, dob: '1980-02-03' }]);
    await engine.ingest('crm', [{ ...ANNE, first_name: 'Ann' }]);
    expect(await open(engine)).toEqual([]);
    expect(await profileOf(store, 'crm:c2')).not.toBe(await profileOf(store, 'crm:c1'));
    await engine.applyRules(
      rulesFrom(DEFAULT_RULES_TEXT.replace('max_profile_records: 500', 'max_profile_records: 400')),
      'user:kim',
    );
    expect(await open(engine)).toEqual([]);
    expect((await store.reviewItems({ status: 'decided', offset: 0, limit: 10 })).items).toEqual([result.item]);
    await expect(engine.decideReview(item?.id as string, 'link', { actor: 'user:kim' })).rejects.toMatchObject({
      code: 'REVIEW_ITEM_DECIDED',
    });
    await expect(engine.decideReview('r_nope', 'link', { actor: 'user:kim' })).rejects.toMatchObject({
      code: 'REVIEW_ITEM_NOT_FOUND',
    });
    await store.close();
  });

  it('links on a link decision: one profile, a decision event by the actor, the item decided', async () => {
    const engine = await withPair();
    const [item] = await open(engine);
    const result = await engine.decideReview(item?.id as string, 'link', { actor: 'user:kim' });
    expect(result.merges).toBe(1);
    const store = storeOf(engine);
    const profile = (await profileOf(store, 'crm:c1')) as string;
    expect(await profileOf(store, 'crm:c2')).toBe(profile);
    const events = await store.eventsOf(profile);
    expect(events.at(-1)).toMatchObject({ kind: 'decision_recorded', actor: 'user:kim', rule: 'force_link' });
    expect(await open(engine)).toEqual([]);
    expect(result.item.decision).toMatchObject({ action: 'link', actor: 'user:kim' });
    await store.close();
  });

  it('survives a reopen from the log, and leaves with the records an erasure removes', async () => {
    const folder = await tempDir();
    const engine = await openEngine(folder);
    await engine.ingest('crm', [ANN, ANNE, crm('c3', { first_name: 'Robb', last_name: 'Kim', postcode: 'E1 6AN' })]);
    await engine.ingest('crm', [crm('c4', { first_name: 'Rob', last_name: 'Kim', postcode: 'E1 6AN' })]);
    const items = await open(engine);
    expect(items).toHaveLength(2);
    await engine.decideReview(items[1]?.id as string, 'keep_apart', { actor: 'user:kim' });
    const before = await reviewFindings(storeOf(engine));
    await storeOf(engine).close();

    const reopened = engineOn(await EmbeddedStore.open(folder), rulesFrom(), fixedClock);
    expect(await reviewFindings(storeOf(reopened))).toEqual(before);
    const ann = (await profileOf(storeOf(reopened), 'crm:c1')) as string;
    const kim = (await profileOf(storeOf(reopened), 'crm:c3')) as string;
    const wal = () => readFile(join(folder, 'wal.ndjson'), 'utf8');
    expect(await wal()).toContain('"kind":"score_band"');
    await reopened.erase([ann, kim], { actor: 'user:dpo' });
    expect(await reviewFindings(storeOf(reopened))).toEqual([]);
    // The log keeps no item naming an erased record either (it names nothing else).
    expect(await wal()).not.toContain('"kind":"score_band"');
    await storeOf(reopened).close();
    // Nor does the log bring them back.
    const again = engineOn(await EmbeddedStore.open(folder), rulesFrom(), fixedClock);
    expect(await reviewFindings(storeOf(again))).toEqual([]);
    await storeOf(again).close();
  });

  it('follows the rules: applying rules without a band empties the queue, with one fills it again', async () => {
    const engine = await withPair();
    const noBand = rulesFrom(DEFAULT_RULES_TEXT.replace(/\n {4}review_from: 5\n/, '\n'));
    expect(noBand.compiled.rules.some((rule) => rule.kind === 'fuzzy' && rule.reviewFrom !== undefined)).toBe(false);
    // The dry run says so first.
    const { plan, records } = await engine.planRules(noBand);
    expect(rulesDiffReport(plan, records)).toMatchObject({ reviewOpened: 0, reviewClosed: 1 });
    await engine.applyRules(noBand, 'user:kim');
    expect(await open(engine)).toEqual([]);
    const back = await engine.planRules(rulesFrom());
    expect(rulesDiffReport(back.plan, back.records)).toMatchObject({ reviewOpened: 1, reviewClosed: 0 });
    await engine.applyRules(rulesFrom(), 'user:kim');
    expect(await open(engine)).toMatchObject([{ a: 'crm:c1', b: 'crm:c2', kind: 'score_band' }]);
    await storeOf(engine).close();
  });
});
