/**
 * Trained against hand-set weights (`idgraph rules train`): a set's fuzzy rules are trained on the
 * set's own records (no labels: EM is unsupervised), the weights written into a copy of its rules
 * file, and that copy scored against the truth like the hand-set file. The accuracy table prints the
 * trained row for every set; `BENCH_ONLY=training` prints both rows for the FEBRL sets.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PairwiseScore } from '../src/core/evaluate/pairwise.js';
import { trainedRulesText, trainRules } from '../src/rules-train/train-rules.js';
import { DATASETS, type Dataset, scoreDataset } from './accuracy.js';
import { loadRules, report } from './support.js';

/**
 * `matchShare` is what EM took for the share of matches among each fuzzy rule's candidate pairs: near
 * 1, it has taken every candidate pair for a match and the weights it suggests do not separate them.
 */
export type TrainedScore =
  | { readonly ok: true; readonly score: PairwiseScore; readonly matchShare: string }
  | { readonly ok: false; readonly reason: string };

/** The set's score under its rules with every fuzzy rule's weights and min_score trained on its records. */
export async function scoreTrained(dataset: Dataset): Promise<TrainedScore> {
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-train-'));
  let matchShare = '';
  try {
    const trained = await trainRules({
      rules: loadRules(dataset.rules),
      inputs: dataset.files,
      matchProbability: 0.99,
      randomPairs: 200_000,
      maxCandidates: 2_000_000,
      seed: 1,
      today: new Date().toISOString().slice(0, 10),
    });
    if (trained.rules.length === 0) return { ok: false, reason: 'the rules hold no fuzzy rule to train' };
    matchShare = trained.rules.map((rule) => `${rule.rule} ${rule.lambda.toFixed(2)}`).join(', ');
    const trainedPath = join(folder, 'trained.yaml');
    const written = trainedRulesText(await readFile(dataset.rules, 'utf8'), trained.rules);
    if (!written.ok) {
      return {
        ok: false,
        reason: `trained rules refused: ${written.problems.join('; ')} (EM's match share: ${matchShare})`,
      };
    }
    await writeFile(trainedPath, written.text);
    return { ok: true, score: await scoreDataset({ ...dataset, rules: trainedPath }), matchShare };
  } catch (error) {
    // loadRules names the temporary file; the reader wants the problem, said once per line.
    const message = error instanceof Error ? error.message : String(error);
    const problems = message.split('\n').map((problem) => problem.replace(/^\S*trained\.yaml:\d+:\d+ /, ''));
    const share = matchShare === '' ? '' : ` (EM's match share among candidate pairs: ${matchShare})`;
    return { ok: false, reason: `trained rules refused: ${problems.join('; ')}${share}` };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

export async function benchTraining(): Promise<void> {
  report('trained weights (FEBRL)      weights     precision  recall     F1');
  for (const dataset of DATASETS.filter((candidate) => candidate.name.startsWith('FEBRL'))) {
    const handSet = await scoreDataset(dataset);
    const trained = await scoreTrained(dataset);
    report(line(dataset.name, 'hand-set', handSet));
    report(
      trained.ok
        ? line(dataset.name, 'trained', trained.score)
        : `${dataset.name.padEnd(28)} trained    failed, ${trained.reason}`,
    );
  }
}

function line(name: string, label: string, score: PairwiseScore): string {
  return `${name.padEnd(28)} ${label.padEnd(10)} ${score.precision.toFixed(4).padStart(9)}  ${score.recall
    .toFixed(4)
    .padStart(6)}  ${score.f1.toFixed(4)}`;
}
