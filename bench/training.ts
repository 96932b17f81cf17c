/**
 * Trained against hand-set weights (`idgraph rules train`): each FEBRL set's fuzzy rule is trained
 * on the set's own records (no labels: EM is unsupervised), then both rules files are scored
 * against the truth.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainRules, withTrainedWeights } from '../src/training/train-rules.js';
import { DATASETS, scoreDataset } from './accuracy.js';
import { loadRules, report } from './support.js';

export async function benchTraining(): Promise<void> {
  report('trained weights (FEBRL)      weights     precision  recall     F1');
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-train-'));
  try {
    for (const dataset of DATASETS.filter((candidate) => candidate.name.startsWith('FEBRL'))) {
      const rules = loadRules(dataset.rules);
      const trained = await trainRules({
        rules,
        inputs: dataset.files,
        matchProbability: 0.99,
        randomPairs: 200_000,
        maxCandidates: 2_000_000,
        seed: 1,
        today: new Date().toISOString().slice(0, 10),
      });
      const trainedPath = join(folder, `${dataset.name}.yaml`);
      await writeFile(trainedPath, withTrainedWeights(await readFile(dataset.rules, 'utf8'), trained.rules));
      for (const [label, path] of [
        ['hand-set', dataset.rules],
        ['trained', trainedPath],
      ] as const) {
        const score = await scoreDataset({ ...dataset, rules: path });
        report(
          `${dataset.name.padEnd(28)} ${label.padEnd(10)} ${score.precision.toFixed(4).padStart(9)}  ${score.recall
            .toFixed(4)
            .padStart(6)}  ${score.f1.toFixed(4)}`,
        );
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
