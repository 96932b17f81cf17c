/**
 * Accuracy on `idgraph synth --shape six-sources` data (seed 42): pairwise precision, recall and F1,
 * and the recall of reachable pairs (src/core/evaluate/reachable-pairs.ts), with the missed
 * reachable pairs counted by the trap that separates them. Each rules file bulk-loads the same data
 * into a fresh embedded store, as `idgraph load` does.
 *
 * Which pairs are reachable must not depend on the rules file being judged, so every record's keys
 * are its identifiers as one reference rules file (REFERENCE_RULES) normalizes them.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { scorePairwise } from '../src/core/evaluate/pairwise.js';
import {
  type LabelledRecord,
  type ReachableScore,
  reachableGroups,
  scoreReachable,
} from '../src/core/evaluate/reachable-pairs.js';
import { recordRef } from '../src/core/resolve/types.js';
import { Engine } from '../src/engine/engine.js';
import { prepareRecord } from '../src/engine/prepare/prepare-record.js';
import type { LoadedRules } from '../src/engine/rules/loaded-rules.js';
import { firstLoad } from '../src/ingest/first-load.js';
import { openInput } from '../src/ingest/input.js';
import { RejectFile } from '../src/ingest/reject-file.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { TRAITS } from '../src/synth/records.js';
import { writeSyntheticFiles } from '../src/synth/write-files.js';
import { loadRules, report } from './support.js';

const here = (path: string) => new URL(path, import.meta.url).pathname;
const SOURCES = ['crm', 'web', 'app', 'pos', 'support', 'orders'] as const;
export const REFERENCE_RULES = here('../rules/examples/six-sources.yaml');
export const SYNTH_RULES = [
  { label: 'default rules', path: here('../rules/default.yaml') },
  { label: 'examples/six-sources', path: REFERENCE_RULES },
  { label: 'examples/six-sources-guarded', path: here('../rules/examples/six-sources-guarded.yaml') },
  { label: 'examples/…-household-safe', path: here('../rules/examples/six-sources-household-safe.yaml') },
];

export async function benchSynthAccuracy(people: number, rulesFiles = SYNTH_RULES): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-synth6-'));
  try {
    const start = performance.now();
    await writeSyntheticFiles(folder, { seed: 42, people, shape: 'six-sources' }, 'ndjson');
    const labelled = await labelRecords(folder, loadRules(REFERENCE_RULES));
    const groups = reachableGroups(labelled);
    const truth = new Map(labelled.map((record) => [record.ref, record.person]));
    const reachable = groups.reduce((sum, group) => sum + (group.length * (group.length - 1)) / 2, 0);
    report(
      `synth six-sources, ${people.toLocaleString('en')} people: ${labelled.length} records, ${reachable} reachable pairs ` +
        `(data and keys in ${((performance.now() - start) / 1000).toFixed(1)} s)`,
    );
    report(
      '  rules                  precision  recall      F1  reachable recall  impure profiles  load s  missed reachable pairs by trait',
    );
    for (const rules of rulesFiles) {
      const loadStart = performance.now();
      const predicted = await loadAll(folder, rules.path);
      const seconds = (performance.now() - loadStart) / 1000;
      const pairwise = scorePairwise(predicted, truth);
      const score = scoreReachable(labelled, groups, predicted, TRAITS);
      report(
        `  ${rules.label.padEnd(22)} ${pairwise.precision.toFixed(4).padStart(9)}  ${pairwise.recall.toFixed(4)}  ${pairwise.f1.toFixed(4)}  ` +
          `${score.recall.toFixed(4).padStart(16)}  ${String(pairwise.impureProfiles).padStart(15)}  ${seconds.toFixed(1).padStart(6)}  ${missedText(score)}`,
      );
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function missedText(score: ReachableScore): string {
  const missed = score.reachablePairs - score.linkedPairs;
  const parts = [...TRAITS, 'other'].map((trait) => `${trait} ${score.missedByTrait[trait] ?? 0}`);
  return `${missed} missed: ${parts.join(', ')}`;
}

/** Every record's person and traits (truth.csv) and keys (identifiers under the reference rules). */
async function labelRecords(folder: string, reference: LoadedRules): Promise<LabelledRecord[]> {
  const truth = new Map<string, { person: string; traits: string[] }>();
  for (const line of (await readFile(join(folder, 'truth.csv'), 'utf8')).trim().split('\n').slice(1)) {
    const [source, recordId, person, traits] = line.split(',') as [string, string, string, string | undefined];
    truth.set(recordRef(source, recordId), { person, traits: traits ? traits.split('|') : [] });
  }
  const labelled: LabelledRecord[] = [];
  for (const source of SOURCES) {
    const lines = createInterface({ input: createReadStream(join(folder, `${source}.ndjson`)), crlfDelay: Infinity });
    for await (const line of lines) {
      const outcome = prepareRecord(reference.file, reference.normalizers, source, JSON.parse(line));
      if (!outcome.ok) throw new Error(`reference rules refuse a ${source} record: ${outcome.reason}`);
      const { ref, identifiers } = outcome.record;
      const label = truth.get(ref);
      if (!label) throw new Error(`no truth for ${ref}`);
      labelled.push({ ref, ...label, keys: identifiers.map((identifier) => `${identifier.type}:${identifier.key}`) });
    }
  }
  return labelled;
}

async function loadAll(data: string, rulesPath: string): Promise<Map<string, string>> {
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-synth6-store-'));
  try {
    const store = await EmbeddedStore.open(join(folder, 'store'));
    const engine = new Engine(store, loadRules(rulesPath));
    const rejects = new RejectFile(join(folder, 'rejects.ndjson'));
    const sources = await Promise.all(
      SOURCES.map(async (source) => ({ source, inputs: [await openInput(join(data, `${source}.ndjson`))] })),
    );
    await firstLoad({ engine, sources, rejects });
    await rejects.close();
    const refs: string[] = [];
    for await (const record of store.records()) refs.push(record.ref);
    const predicted = await store.profileIdsOf(refs);
    await store.close();
    return predicted;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
