/** `idgraph rules train` on a public labelled set: trained weights are written into a valid rules file. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/core/rules/load.js';
import { cli } from '../support/capture-io.js';
import { useTempDirs } from '../support/temp-dir.js';

const bench = (path: string) => new URL(`../../bench/${path}`, import.meta.url).pathname;

describe('rules train', () => {
  const tempDir = useTempDirs();

  it('prints m, u and the weights beside the current ones, and writes a rules file that validates', async () => {
    const dir = await tempDir();
    const out = join(dir, 'trained.yaml');
    const run = await cli(
      'rules',
      'train',
      bench('rules/febrl.yaml'),
      `dataset1=${bench('datasets/febrl/dataset1.csv')}`,
      '--random-pairs',
      '20000',
      '--write',
      out,
      '--json',
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out);
    expect(result.records).toBe(1000);
    const [rule] = result.rules;
    expect(rule.rule).toBe('fuzzy_person');
    expect(rule.anchorPairs).toBeGreaterThan(0);
    const names = rule.comparisons.find((comparison: { field: string }) => comparison.field === 'given_name');
    const [best, , other] = names.outcomes;
    // Agreeing names are evidence for a match, disagreeing ones against it.
    expect(best.m).toBeGreaterThan(best.u);
    expect(best.suggested).toBeGreaterThan(0);
    expect(other.suggested).toBeLessThan(0);

    const written = await readFile(out, 'utf8');
    const loaded = loadRules(written);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const fuzzy = loaded.rules.rules.find((candidate) => candidate.id === 'fuzzy_person');
    expect(fuzzy?.kind === 'fuzzy' && fuzzy.min_score).toBe(rule.suggestedMinScore);
    // The file's comments are kept.
    expect(written).toContain('# FEBRL 1-4: synthetic Australian person records');
    // Names weigh by term frequency in these rules: the option stays, the levels' weights are trained.
    const given =
      fuzzy?.kind === 'fuzzy' ? fuzzy.compare.find((comparison) => comparison.field === 'given_name') : undefined;
    expect(given?.term_frequency).toBe(true);
  });

  it("trains on fake_1000, where blocking on a first name's soundex alone once made every candidate a match", async () => {
    const dir = await tempDir();
    const out = join(dir, 'trained.yaml');
    const run = await cli(
      'rules',
      'train',
      bench('rules/splink_fake_1000.yaml'),
      `fake_1000=${bench('datasets/splink_fake_1000/fake_1000.csv')}`,
      '--write',
      out,
      '--json',
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const [rule] = JSON.parse(run.out).rules;
    // One EM run per blocking key, each leaving out its own key's field.
    expect(rule.keys.map((key: { key: string }) => key.key)).toEqual([
      'dob',
      'soundex(surname)',
      'soundex(first_name)',
      'email_local(email)',
    ]);
    expect(rule.keys[2].leftOut).toEqual(['first_name']);
    // Most of a first-name soundex's pairs are two people, and EM now says so (it said 0.97 of all).
    expect(rule.keys[2].lambda).toBeLessThan(0.5);
    expect(rule.lambda).toBeLessThan(0.5);
    expect(rule.problem).toBeUndefined();
    expect(loadRules(await readFile(out, 'utf8')).ok).toBe(true);
  });

  it('writes no file, and says why, when the suggested min_score would not validate', async () => {
    const dir = await tempDir();
    const out = join(dir, 'trained.yaml');
    const run = await cli(
      'rules',
      'train',
      bench('rules/splink_fake_1000.yaml'),
      `fake_1000=${bench('datasets/splink_fake_1000/fake_1000.csv')}`,
      '--match-probability',
      '0.9999999999',
      '--write',
      out,
    );
    expect(run.code).toBe(1);
    expect(run.out).toContain('min_score not suggested');
    expect(run.err).toContain('not written');
    expect(run.err).toContain('cannot be reached');
    await expect(readFile(out, 'utf8')).rejects.toThrow();
  });

  it('refuses a source the rules do not declare, and a probability out of range', async () => {
    const unknown = await cli('rules', 'train', bench('rules/febrl.yaml'), 'nope=x.csv');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown source "nope"');
    const probability = await cli(
      'rules',
      'train',
      bench('rules/febrl.yaml'),
      `dataset1=${bench('datasets/febrl/dataset1.csv')}`,
      '--match-probability',
      '1.5',
    );
    expect(probability.code).toBe(2);
    expect(probability.err).toContain('--match-probability');
  });
});
