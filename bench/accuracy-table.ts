/**
 * `BENCH_ONLY=accuracy`: idgraph's pairwise figures on each labelled set, with its hand-set rules and
 * with the same rules' weights trained on the set (bench/training.ts), and, beside them, Splink's on
 * the same files against the same truth with the same scorer (bench/splink), with whether each idgraph
 * row meets issue 21's bar on the set: F1 at least Splink's, precision at least 0.995.
 */
import { type PairwiseScore, scorePairwise } from '../src/core/evaluate/pairwise.js';
import { DATASETS, type Dataset, readTruth, scoreDataset, synthDataset } from './accuracy.js';
import { cleanup } from './ingest.js';
import { runSplink, SPLINK_THRESHOLD, setUpSplink } from './splink-runner.js';
import { report } from './support.js';
import { scoreTrained, type TrainedScore } from './training.js';

const PRECISION_BAR = 0.995;

export async function benchAccuracy(): Promise<void> {
  const splink = await setUpSplink();
  if (splink.ok)
    report(
      `Splink ${splink.version} beside idgraph: DuckDB backend, unsupervised standard model, clusters at match probability ${SPLINK_THRESHOLD}`,
    );
  else report(`Splink could not be installed, idgraph's figures only: ${splink.reason}`);
  report('accuracy (pairwise)         records  precision  recall     F1  largest profile');
  const synth = await synthDataset(20_000);
  for (const dataset of [...DATASETS, synth.dataset]) {
    const handSet = await scoreDataset(dataset);
    report(row(dataset.name, handSet));
    const trained = await scoreTrained(dataset);
    const trainedLabel = '  idgraph, trained on set';
    report(
      trained.ok
        ? `${row(trainedLabel, trained.score).padEnd(66)} EM match share: ${trained.matchShare}`
        : `${trainedLabel}: failed, ${trained.reason}`,
    );
    if (dataset.splink && splink.ok) await reportSplink(dataset, handSet, trained, splink.version);
  }
  await cleanup(synth.folder);
}

async function reportSplink(dataset: Dataset, handSet: PairwiseScore, trained: TrainedScore, version: string) {
  const label = `  Splink ${version}`;
  const result = await runSplink(dataset.files, dataset.splink as NonNullable<Dataset['splink']>);
  if (!result.ok) {
    report(`${label}: failed, ${result.reason}`);
    return;
  }
  const truth = readTruth(dataset.truth);
  const score = scorePairwise(result.clusters, truth);
  // The scorer leaves out records missing on either side, so a keying mistake would pass unseen.
  if (score.records !== truth.size || result.clusters.size !== truth.size) {
    report(`${label}: failed, its ${result.clusters.size} records match ${score.records} of the truth's ${truth.size}`);
    return;
  }
  const verdicts = [`hand-set ${verdict(handSet, score)}`];
  verdicts.push(trained.ok ? `trained ${verdict(trained.score, score)}` : 'trained: failed');
  report(`${row(label, score).padEnd(66)} ${result.seconds.toFixed(1).padStart(5)} s  ${verdicts.join('; ')}`);
}

/** Whether an idgraph row meets the bar against Splink's score on the same set. */
function verdict(idgraph: PairwiseScore, splink: PairwiseScore): string {
  return `F1 >= Splink's: ${mark(idgraph.f1 >= splink.f1)}, precision >= ${PRECISION_BAR}: ${mark(
    idgraph.precision >= PRECISION_BAR,
  )}`;
}

function row(name: string, score: PairwiseScore): string {
  return `${name.padEnd(26)} ${String(score.records).padStart(8)}  ${score.precision.toFixed(4).padStart(9)}  ${score.recall
    .toFixed(4)
    .padStart(6)}  ${score.f1.toFixed(4)}  ${score.largestProfile}`;
}

const mark = (met: boolean) => (met ? 'yes' : 'NO');
