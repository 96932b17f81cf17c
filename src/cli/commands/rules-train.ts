/** `rules train`: weights and thresholds for the fuzzy rules, estimated from sample data. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { TrainedRule } from '../../training/train-rules.js';
import { trainRules, withTrainedWeights } from '../../training/train-rules.js';
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
        'maximisation: u from random pairs, m over the blocked pairs, deterministic rules as anchors) and ' +
        'print them beside the current ones.',
    )
    .argument('<rules>', 'the rules file whose fuzzy rules to train')
    .argument('<source=file...>', 'sample data: a source name from the rules file and one of its files')
    .option('--write <file>', 'write a copy of the rules file with the suggested weights and min_score')
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
      if (options.write) await writeFile(options.write, withTrainedWeights(rules.text, result.rules));
      if (options.json) io.out(`${JSON.stringify(result)}\n`);
      else io.out(formatTraining(result.records, result.rules, options.write));
    });
}

function formatTraining(records: number, rules: readonly TrainedRule[], written: string | undefined): string {
  const lines = [`${records.toLocaleString('en-US')} records`];
  for (const rule of rules) {
    lines.push(
      '',
      `rule ${rule.rule}: ${rule.candidatePairs.toLocaleString('en-US')} candidate pairs, ` +
        `${rule.anchorPairs.toLocaleString('en-US')} anchored by a deterministic rule, ` +
        `share of matches ${rule.lambda.toFixed(4)}, EM ${rule.converged ? 'converged' : 'stopped'} after ${rule.iterations} iterations`,
      `  ${'field / outcome'.padEnd(34)} ${'m'.padStart(8)} ${'u'.padStart(8)} ${'current'.padStart(8)} ${'trained'.padStart(8)}`,
    );
    for (const comparison of rule.comparisons) {
      for (const outcome of comparison.outcomes) {
        lines.push(
          `  ${`${comparison.field} ${outcome.label}`.padEnd(34)} ${outcome.m.toFixed(4).padStart(8)} ${outcome.u
            .toFixed(4)
            .padStart(8)} ${String(outcome.current).padStart(8)} ${String(outcome.suggested).padStart(8)}`,
        );
      }
    }
    lines.push(
      `  ${'min_score'.padEnd(52)} ${String(rule.currentMinScore).padStart(8)} ${String(rule.suggestedMinScore).padStart(8)}`,
    );
  }
  if (written) lines.push('', `rules with the trained weights written to ${written}`);
  return `${lines.join('\n')}\n`;
}
