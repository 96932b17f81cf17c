import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadRules } from '../../core/rules/load.js';
import { formatProblem } from '../../core/rules/problems.js';
import { CliError, type CliIo } from '../io.js';
import { registerRulesChangeCommands } from './rules-change.js';
import { registerRulesTrainCommand } from './rules-train.js';

export function registerRulesCommands(program: Command, io: CliIo): void {
  const rules = program.command('rules').description('Validate, compare and apply match-rules files.');
  registerValidate(rules, io);
  registerRulesChangeCommands(rules, io);
  registerRulesTrainCommand(rules, io);
}

function registerValidate(rules: Command, io: CliIo): void {
  rules
    .command('validate')
    .description('Check rules files: shape first, then meaning. Every problem is listed as FILE:LINE:COL.')
    .argument('<files...>', 'rules files (YAML)')
    .option('--json', 'print one JSON object per file')
    .addHelpText(
      'after',
      '\nExit code 0 when every file is valid (warnings allowed), 1 when one is not, 2 when one cannot be read.\n\n' +
        'Example:\n  idgraph rules validate rules/default.yaml',
    )
    .action(async (files: string[], options: { json?: boolean }) => {
      let worst = 0;
      for (const file of files) {
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (error) {
          io.err(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
          worst = 2;
          continue;
        }
        const result = loadRules(text);
        const problems = result.ok ? result.warnings : result.problems;
        if (options.json) {
          io.out(
            `${JSON.stringify({ file, valid: result.ok, ...(result.ok ? { version: result.version } : {}), problems })}\n`,
          );
        } else {
          for (const problem of problems) io.err(`${formatProblem(file, problem)}\n`);
          if (result.ok) {
            const types = Object.keys(result.rules.identifiers).length;
            io.out(
              `${file}: valid, ${types} identifier types, ${result.rules.rules.length} rules, version ${result.version}\n`,
            );
          } else {
            io.err(`${file}: ${problems.length} problem(s)\n`);
          }
        }
        if (!result.ok) worst = Math.max(worst, 1);
      }
      if (worst !== 0) throw new CliError('', worst);
    });
}
