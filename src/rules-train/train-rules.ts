/**
 * `idgraph rules train`: reads sample records through the rules' own mapping and normalizers,
 * forms each fuzzy rule's candidate pairs and a sample of random pairs, estimates m and u
 * (core/train), and suggests weights and thresholds, written, on request, into a copy of the rules
 * file with its comments and layout kept.
 */
import { parseDocument } from 'yaml';
import { fuzzyRulesOf } from '../core/resolve/blocking.js';
import { fieldKeys } from '../core/resolve/compiled-rules.js';
import { compareKeysOf } from '../core/resolve/fuzzy-score.js';
import type { PreparedRecord } from '../core/resolve/types.js';
import { loadRules } from '../core/rules/load.js';
import { formatProblem } from '../core/rules/problems.js';
import type { Comparison } from '../core/rules/schema.js';
import { estimateParameters, type Pattern } from '../core/train/estimate.js';
import { comparisonOutcome, outcomeCount } from '../core/train/outcome.js';
import { type RuleSuggestion, suggestRule } from '../core/train/suggest.js';
import { prepareRecord } from '../engine/prepare/prepare-record.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import { openInput } from '../ingest/input.js';
import { formatOf, readRows } from '../ingest/read-rows.js';
import { Random } from '../synth/random.js';
import { type CandidatePair, candidatePairs } from './candidate-pairs.js';

export interface TrainingInput {
  readonly source: string;
  readonly file: string;
}

export interface TrainOptions {
  readonly rules: LoadedRules;
  readonly inputs: readonly TrainingInput[];
  /** The match probability a pair must reach to merge; sets each rule's suggested min_score. */
  readonly matchProbability: number;
  readonly randomPairs: number;
  readonly maxCandidates: number;
  readonly seed: number;
  readonly today: string;
}

/** One EM run: the pairs a blocking key found, and the fields it left out. */
export interface TrainedKey {
  /** The key as written, e.g. "soundex(surname) + postcode". */
  readonly key: string;
  readonly pairs: number;
  /** Fields of the key whose comparisons this run did not estimate. */
  readonly leftOut: readonly string[];
  /** The share of matches EM found among the key's pairs (absent when the run had nothing to estimate). */
  readonly lambda?: number;
}

export interface TrainedRule extends RuleSuggestion {
  readonly keys: readonly TrainedKey[];
  readonly candidatePairs: number;
  readonly anchorPairs: number;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface TrainingResult {
  readonly records: number;
  readonly rules: readonly TrainedRule[];
}

export async function trainRules(options: TrainOptions): Promise<TrainingResult> {
  const records = await readRecords(options);
  const random = new Random(options.seed);
  const trained: TrainedRule[] = [];
  for (const rule of fuzzyRulesOf(options.rules.compiled)) {
    const keys = records.map((record) => compareKeysOf(record, rule));
    const patternOf = (i: number, j: number): Pattern =>
      rule.compare.map((comparison, k) =>
        comparisonOutcome(comparison, (keys[i] as string[][])[k] as string[], (keys[j] as string[][])[k] as string[]),
      );
    const pairs = candidatePairs(records, rule, options.maxCandidates);
    const candidates = pairs.map(({ i, j }) => patternOf(i, j));
    const anchors = pairs.flatMap(({ i, j }, index) =>
      anchoredTogether(records[i] as PreparedRecord, records[j] as PreparedRecord, options.rules)
        ? [candidates[index] as Pattern]
        : [],
    );
    const runs = rule.blocking.map((key, keyIndex) => {
      const fields = new Set(key.map((part) => part.field));
      return {
        blocked: rule.compare.flatMap((comparison, k) => (fields.has(comparison.field) ? [k] : [])),
        candidates: candidates.filter((_, index) => (pairs[index] as CandidatePair).keys.includes(keyIndex)),
      };
    });
    const randomPairs: Pattern[] = [];
    for (let n = 0; n < options.randomPairs && records.length > 1; n++) {
      const i = random.int(0, records.length - 1);
      let j = random.int(0, records.length - 2);
      if (j >= i) j++;
      randomPairs.push(patternOf(i, j));
    }
    const estimate = estimateParameters({
      outcomes: rule.compare.map(outcomeCount),
      runs,
      candidates,
      totalPairs: (records.length * (records.length - 1)) / 2,
      randomPairs,
      anchors,
    });
    trained.push({
      ...suggestRule(rule.id, rule.compare, rule.minScore, estimate, options.matchProbability),
      keys: runs.map((run, index) => {
        const done = estimate.runs.find((candidate) => candidate.index === index);
        return {
          key: (rule.blocking[index] ?? [])
            .map((part) => (part.transform ? `${part.transform}(${part.field})` : part.field))
            .join(' + '),
          pairs: run.candidates.length,
          leftOut: run.blocked.map((k) => (rule.compare[k] as Comparison).field),
          ...(done ? { lambda: done.lambda } : {}),
        };
      }),
      candidatePairs: candidates.length,
      anchorPairs: anchors.length,
      iterations: estimate.iterations,
      converged: estimate.converged,
    });
  }
  return { records: records.length, rules: trained };
}

/** Two records a deterministic rule links: every field of the rule shares a value. */
function anchoredTogether(a: PreparedRecord, b: PreparedRecord, rules: LoadedRules): boolean {
  return rules.compiled.rules.some(
    (rule) =>
      rule.kind === 'deterministic' &&
      rule.fields.every((field) => {
        const right = fieldKeys(b, field);
        return fieldKeys(a, field).some((key) => right.includes(key));
      }),
  );
}

async function readRecords(options: TrainOptions): Promise<PreparedRecord[]> {
  const records: PreparedRecord[] = [];
  const { file: rulesFile, normalizers } = options.rules;
  for (const { source, file } of options.inputs) {
    // Closed here: left to the garbage collector, each file's descriptor stayed open (Node warns).
    const input = await openInput(file);
    try {
      for await (const row of readRows(input, formatOf(file))) {
        if (!row.ok) continue;
        const prepared = prepareRecord(rulesFile, normalizers, source, row.row, options.today);
        if (prepared.ok) records.push(prepared.record);
      }
    } finally {
      await input.close();
    }
  }
  return records;
}

/**
 * The rules file with the trained weights, when it is one `rules validate` accepts: a rule whose
 * suggested threshold is refused, or any problem the written file would have, is said instead.
 */
export function trainedRulesText(
  text: string,
  trained: readonly TrainedRule[],
): { ok: true; text: string } | { ok: false; problems: string[] } {
  const refused = trained.flatMap((rule) => (rule.problem ? [`rule ${rule.rule}: ${rule.problem}`] : []));
  if (refused.length > 0) return { ok: false, problems: refused };
  const written = withTrainedWeights(text, trained);
  const loaded = loadRules(written);
  if (!loaded.ok)
    return { ok: false, problems: loaded.problems.map((problem) => formatProblem('trained rules', problem)) };
  return { ok: true, text: written };
}

/** The rules file's text with each trained rule's weights and min_score replaced; comments stay. */
export function withTrainedWeights(text: string, trained: readonly TrainedRule[]): string {
  const document = parseDocument(text);
  const rules = document.toJS().rules as { id: string; compare?: { comparator: string }[] }[];
  for (const rule of trained) {
    const index = rules.findIndex((candidate) => candidate.id === rule.rule);
    if (index === -1) continue;
    rule.comparisons.forEach((comparison, k) => {
      const path = ['rules', index, 'compare', k];
      const comparator = rules[index]?.compare?.[k]?.comparator;
      comparison.outcomes.forEach((outcome, o) => {
        const isElse = o === comparison.outcomes.length - 1;
        if (isElse) document.setIn([...path, 'else_weight'], outcome.suggested);
        else if (comparator === 'exact') document.setIn([...path, 'weight'], outcome.suggested);
        else document.setIn([...path, 'levels', o, 'weight'], outcome.suggested);
      });
    });
    document.setIn(['rules', index, 'min_score'], rule.suggestedMinScore);
  }
  return document.toString({ lineWidth: 0 });
}
