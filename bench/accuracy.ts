/**
 * Accuracy on the labelled public datasets in bench/datasets (see each SOURCE.md and licence):
 * ingest with the dataset's rules file, then pairwise precision, recall and F1 against the truth.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PairwiseScore, scorePairwise } from '../src/core/evaluate/pairwise.js';
import { Engine } from '../src/engine/engine.js';
import { ingestFiles } from '../src/ingest/ingest-files.js';
import { openInput } from '../src/ingest/input.js';
import { RejectFile } from '../src/ingest/reject-file.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { writeSyntheticFiles } from '../src/synth/write-files.js';
import type { SplinkModel } from './splink-runner.js';
import { loadRules } from './support.js';

export interface Dataset {
  readonly name: string;
  readonly rules: string;
  readonly files: readonly { readonly source: string; readonly file: string }[];
  readonly truth: string;
  /** How Splink is run on the same files for comparison (bench/splink); none for idgraph's synth data. */
  readonly splink?: SplinkModel;
}

const here = (path: string) => new URL(path, import.meta.url).pathname;

export const DATASETS: readonly Dataset[] = [
  ...[1, 2, 3].map((n) => ({
    name: `FEBRL${n}`,
    rules: here('rules/febrl.yaml'),
    files: [{ source: `dataset${n}`, file: here(`datasets/febrl/dataset${n}.csv`) }],
    truth: here(`datasets/febrl/truth_febrl${n}.csv`),
    splink: { model: 'febrl', linkType: 'dedupe_only' } as const,
  })),
  {
    name: 'FEBRL4',
    rules: here('rules/febrl.yaml'),
    files: [
      { source: 'dataset4a', file: here('datasets/febrl/dataset4a.csv') },
      { source: 'dataset4b', file: here('datasets/febrl/dataset4b.csv') },
    ],
    truth: here('datasets/febrl/truth_febrl4.csv'),
    // 4a and 4b each hold every person once: the task is linking across them.
    splink: { model: 'febrl', linkType: 'link_only' },
  },
  {
    name: 'splink_fake_1000',
    rules: here('rules/splink_fake_1000.yaml'),
    files: [{ source: 'fake_1000', file: here('datasets/splink_fake_1000/fake_1000.csv') }],
    truth: here('datasets/splink_fake_1000/truth.csv'),
    splink: { model: 'fake_1000', linkType: 'dedupe_only' },
  },
  {
    name: 'senzing_truthset_demo',
    rules: here('rules/senzing_truthset_demo.yaml'),
    files: ['customers', 'reference', 'watchlist'].map((source) => ({
      source,
      file: here(`datasets/senzing_truthset_demo/${source}.csv`),
    })),
    truth: here('datasets/senzing_truthset_demo/truth.csv'),
    splink: { model: 'senzing', linkType: 'link_and_dedupe' },
  },
];

/**
 * Truth files name sources as the upstream data does; sources here are lowercase. Their lines end in
 * CRLF: split on LF alone, every person id but the last kept a CR, and the last record lost its pairs.
 */
export function readTruth(path: string): Map<string, string> {
  const truth = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1)) {
    const [source, recordId, person] = line.split(',') as [string, string, string];
    truth.set(`${source.toLowerCase()}:${recordId}`, person);
  }
  return truth;
}

/** idgraph synth data (seed 42) under the default rules, ground truth from the generator. */
export async function synthDataset(people: number): Promise<{ dataset: Dataset; folder: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-synth-'));
  await writeSyntheticFiles(folder, { seed: 42, people }, 'ndjson');
  return {
    folder,
    dataset: {
      name: `synth ${people} people`,
      rules: here('../rules/default.yaml'),
      files: ['crm', 'web', 'app', 'orders'].map((source) => ({ source, file: join(folder, `${source}.ndjson`) })),
      truth: join(folder, 'truth.csv'),
    },
  };
}

export async function scoreDataset(dataset: Dataset): Promise<PairwiseScore> {
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-accuracy-'));
  try {
    const store = await EmbeddedStore.open(join(folder, 'store'));
    const engine = new Engine(store, loadRules(dataset.rules));
    const rejects = new RejectFile(join(folder, 'rejects.ndjson'));
    for (const { source, file } of dataset.files) {
      const input = await openInput(file);
      try {
        await ingestFiles({ engine, source, inputs: [input], rejects });
      } finally {
        await input.close();
      }
    }
    await rejects.close();
    const refs: string[] = [];
    for await (const record of store.records()) refs.push(record.ref);
    const predicted = await store.profileIdsOf(refs);
    await store.close();
    return scorePairwise(predicted, readTruth(dataset.truth));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
