/** `rules diff` (a dry run) and `rules apply`: re-resolve the whole graph under new rules. */
import type { Command } from 'commander';
import { type RulesDiffReport, rulesDiffReport } from '../../engine/rules/rules-diff.js';
import { defaultActor, readRulesFile, withEngine } from '../engine-session.js';
import type { CliIo } from '../io.js';

interface Flags {
  store?: string;
  rules?: string;
  actor?: string;
  json?: boolean;
}

export function registerRulesChangeCommands(rules: Command, io: CliIo): void {
  rules
    .command('diff')
    .description('Dry run: what re-resolving the graph under NEW_RULES would merge, split and move. Writes nothing.')
    .argument('<new-rules>', 'the candidate rules file')
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .option('--rules <file>', 'current rules (default: the rules stored with the graph)')
    .option('--json', 'print JSON')
    .action(async (path: string, options: Flags) => {
      const next = await readRulesFile(path, io);
      await withEngine(options, io, async (engine) => {
        const { plan, records } = await engine.planRules(next);
        const report = rulesDiffReport(plan, records);
        io.out(
          options.json
            ? `${JSON.stringify({ version: next.version, ...report })}\n`
            : formatReport(report, next.version),
        );
      });
    });

  rules
    .command('apply')
    .description('Re-resolve the graph under NEW_RULES and record them; manual decisions carry over.')
    .argument('<new-rules>', 'the rules file to apply')
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .option('--rules <file>', 'current rules (default: the rules stored with the graph)')
    .option('--actor <name>', 'who applies them (default: user:$USER)')
    .option('--json', 'print JSON')
    .action(async (path: string, options: Flags) => {
      const next = await readRulesFile(path, io);
      await withEngine(options, io, async (engine) => {
        const summary = await engine.applyRules(next, options.actor ?? defaultActor(io));
        io.out(
          options.json
            ? `${JSON.stringify({ version: next.version, ...summary })}\n`
            : `applied rules ${next.version} in commit ${summary.commit}: ${summary.merges} merge(s), ${summary.splits} split(s)\n`,
        );
      });
    });
}

function formatReport(report: RulesDiffReport, version: string): string {
  const lines = [
    `rules ${version} (dry run, nothing written)`,
    `records            ${report.records}`,
    `profiles           ${report.profilesBefore} -> ${report.profilesAfter}`,
    `merges             ${report.merges.length}`,
    `splits             ${report.splits.length}`,
    `records moving     ${report.recordsMoving}`,
    `review items       ${report.reviewOpened} opened, ${report.reviewClosed} closed`,
    ...report.merges
      .slice(0, 20)
      .map((m) => `  merge ${m.before.join(' + ')} -> ${m.after}${m.rule ? ` (${m.rule})` : ''}`),
    ...report.splits.slice(0, 20).map((s) => `  split ${s.before} -> ${s.after.join(', ')}`),
  ];
  if (report.merges.length + report.splits.length > 40) lines.push('  ... (use --json for the full list)');
  return `${lines.join('\n')}\n`;
}
