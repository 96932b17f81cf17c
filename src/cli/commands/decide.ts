/** Manual decisions: they hold through re-resolution and rule changes until a later decision. */
import type { Command } from 'commander';
import type { CommitSummary } from '../../engine/engine.js';
import { defaultActor, withEngine } from '../engine-session.js';
import type { CliIo } from '../io.js';

interface Flags {
  store?: string;
  rules?: string;
  actor?: string;
  note?: string;
  json?: boolean;
}

const decisionOptions = (command: Command) =>
  command
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .option('--rules <file>', 'rules file (default: the rules stored with the graph)')
    .option('--actor <name>', 'who decides (default: user:$USER)')
    .option('--note <text>', 'why, for the history (no personal data)')
    .option('--json', 'print JSON');

export function registerDecisionCommands(program: Command, io: CliIo): void {
  const report = (summary: CommitSummary, options: Flags) =>
    io.out(
      options.json
        ? `${JSON.stringify(summary)}\n`
        : summary.commit === undefined
          ? 'nothing changed: the decision already stands\n'
          : `commit ${summary.commit}: ${summary.merges} merge(s), ${summary.splits} split(s)\n`,
    );
  const decide = (options: Flags) => ({
    actor: options.actor ?? defaultActor(io),
    ...(options.note ? { note: options.note } : {}),
  });

  decisionOptions(
    program
      .command('link')
      .description('Force two records into one profile.')
      .argument('<a>', 'record reference, e.g. crm:1001')
      .argument('<b>', 'record reference'),
  ).action(async (a: string, b: string, options: Flags) => {
    await withEngine(options, io, async (engine) => report(await engine.link(a, b, decide(options)), options));
  });

  decisionOptions(
    program
      .command('never-link')
      .description('Keep two records in different profiles for good.')
      .argument('<a>', 'record reference')
      .argument('<b>', 'record reference'),
  ).action(async (a: string, b: string, options: Flags) => {
    await withEngine(options, io, async (engine) => report(await engine.neverLink(a, b, decide(options)), options));
  });

  decisionOptions(
    program
      .command('unmerge')
      .description('Undo a merge event (see `idgraph history`): its parts are kept apart from now on.')
      .argument('<event>', 'event ID, e.g. e12-3'),
  ).action(async (eventId: string, options: Flags) => {
    await withEngine(options, io, async (engine) => report(await engine.unmerge(eventId, decide(options)), options));
  });

  decisionOptions(
    program
      .command('split')
      .description('Split records off a profile: they are kept apart from the rest from now on.')
      .argument('<profile>', 'profile ID')
      .argument('<records...>', 'record references to split off'),
  ).action(async (profileId: string, refs: string[], options: Flags) => {
    await withEngine(options, io, async (engine) =>
      report(await engine.split(profileId, refs, decide(options)), options),
    );
  });
}
