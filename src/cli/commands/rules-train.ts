/** `rules train`: weights and thresholds for the fuzzy rules, estimated from sample data. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { TrainedRule } from '../../rules-train/train-rules.js';
import { trainedRulesText, trainRules } from '../../rules-train/train-rules.js';
import { readRulesFile } from '../engine-session.js';
import { CliError, type CliIo } from '../io.js';
import { parsePositiveInt } from '../options.js';
import { parsePairs } from './load.js';

interface Flags {
  write?: string;
  json?: boolean;
  matchProbability: string;
  randomPairs: number;
  maxPairs: number;
  seed: number;
}

export function registerRulesTrainCommand(rules: Command, io: CliIo): void {
  rules
    .command('train')
    .description(
      'Estimate the weights of each fuzzy rule from sample data (Fellegi-Sunter m and u by expectation ' +
        'maximisation: u from random pairs; m once per blocking key over the pairs it finds, leaving out the ' +
        "comparisons of the key's own fields; deterministic rules as anchors) and print them beside the current ones.",
    )
    .argument('<rules>', 'the rules file whose fuzzy rules to train')
    .argument('<source=file...>', 'sample data: a source name from the rules file and one of its files')
    .option(
      '--write <file>',
      'write a copy of the rules file with the suggested weights and min_score (not when that copy would not validate)',
    )
    .option('--match-probability <p>', 'probability of a match at which a pair merges (sets min_score)', '0.99')
    .option('--random-pairs <n>', 'random pairs sampled to estimate u', parsePositiveInt, 200_000)
    .option('--max-pairs <n>', 'candidate pairs used at most per rule', parsePositiveInt, 2_000_000)
    .option('--seed <n>', 'seed of the random pairs', parsePositiveInt, 1)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  idgraph rules train bench/rules/febrl.yaml dataset4a=bench/datasets/febrl/dataset4a.csv ' +
        'dataset4b=bench/datasets/febrl/dataset4b.csv --write febrl-trained.yaml',
    )
    .action(async (rulesPath: string, pairs: string[], options: Flags) => {
      const matchProbability = Number(options.matchProbability);
      if (!(matchProbability > 0 && matchProbability < 1)) {
        throw new CliError(`--match-probability wants a number between 0 and 1, not "${options.matchProbability}"`, 2);
      }
      const rules = await readRulesFile(rulesPath, io);
      const inputs = parsePairs(pairs).flatMap(({ source, files }) => {
        if (!rules.file.sources[source]) {
          throw new CliError(
            `unknown source "${source}"; the rules declare: ${Object.keys(rules.file.sources).join(', ')}`,
            2,
          );
        }
        return files.map((file) => ({ source, file }));
      });
      const result = await trainRules({
        rules,
        inputs,
        matchProbability,
        randomPairs: options.randomPairs,
        maxCandidates: options.maxPairs,
        seed: options.seed,
        today: new Date().toISOString().slice(0, 10),
      });
      if (result.rules.length === 0) throw new CliError(`${rulesPath} has no fuzzy rule to train`, 1);
      const written = options.write ? trainedRulesText(rules.text, result.rules) : undefined;
      if (options.write && written?.ok) await writeFile(options.write, written.text);
      if (options.json) io.out(`${JSON.stringify(result)}\n`);
      else io.out(formatTraining(result.records, result.rules, written?.ok ? options.write : undefined));
      if (written && !written.ok) {
        throw new CliError(
          `${options.write} not written, the trained rules would not validate:\n${written.problems.join('\n')}`,
          1,
        );
      }
    });
}

function formatTraining(records: number, rules: readonly TrainedRule[], written: string | undefined): string {
  const lines = [`${records.toLocaleString('en-US')} records`];
  for (const rule of rules) {
    lines.push(
      '',
      `rule ${rule.rule}: ${rule.candidatePairs.toLocaleString('en-US')} candidate pairs, ` +
        `${rule.anchorPairs.toLocaleString('en-US')} anchored by a deterministic rule, ` +
        `share of matches ${rule.lambda.toFixed(4)} (a random pair matches with probability ${rule.prior.toPrecision(3)}), EM ${rule.converged ? 'converged' : 'stopped'} after at most ${rule.iterations} iterations`,
    );
    for (const key of rule.keys) {
      const share = key.lambda === undefined ? 'not run' : `share of matches ${key.lambda.toFixed(4)}`;
      const leftOut = key.leftOut.length > 0 ? `, ${key.leftOut.join(', ')} left out` : '';
      lines.push(`  key ${key.key}: ${key.pairs.toLocaleString('en-US')} pairs, ${share}${leftOut}`);
    }
    lines.push(
      `  ${'field / outcome'.padEnd(34)} ${'m'.padStart(8)} ${'u'.padStart(8)} ${'current'.padStart(8)} ${'trained'.padStart(8)}`,
    );
    for (const comparison of rule.comparisons) {
      for (const outcome of comparison.outcomes) {
        const m = comparison.mSource === 'none' ? 'kept' : outcome.m.toFixed(4);
        lines.push(
          `  ${`${comparison.field} ${outcome.label}`.padEnd(34)} ${m.padStart(8)} ${outcome.u
            .toFixed(4)
            .padStart(8)} ${String(outcome.current).padStart(8)} ${String(outcome.suggested).padStart(8)}`,
        );
      }
      if (comparison.mSource === 'anchors') {
        lines.push(`  (${comparison.field}: m from the anchor pairs, every key holds it)`);
      }
      if (comparison.mSource === 'none') {
        lines.push(`  (${comparison.field}: not estimated, every key holds it and no pair is anchored; weights kept)`);
      }
    }
    lines.push(
      `  ${'min_score'.padEnd(52)} ${String(rule.currentMinScore).padStart(8)} ${String(rule.suggestedMinScore).padStart(8)}`,
    );
    if (rule.problem) lines.push(`  min_score not suggested: ${rule.problem}`);
  }
  if (written) lines.push('', `rules with the trained weights written to ${written}`);
  return `${lines.join('\n')}\n`;
}
