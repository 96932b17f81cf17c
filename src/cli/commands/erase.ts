/** `idgraph erase`: a privacy request, from the command line. */
import type { Command } from 'commander';
import { AudienceStore } from '../../audience/audience-store.js';
import { erasePeople } from '../../audience/erase-people.js';
import { erasureTargets } from '../../engine/erasure/erasure-targets.js';
import { type IdentifierRules, normalizedKey } from '../../queries/identifier.js';
import { defaultActor, withEngine } from '../engine-session.js';
import { CliError, type CliIo } from '../io.js';

interface Flags {
  store?: string;
  rules?: string;
  identifier: string[];
  country?: string;
  actor?: string;
  note?: string;
  dryRun?: boolean;
  json?: boolean;
  audiences?: string;
}

export function registerEraseCommand(program: Command, io: CliIo): void {
  program
    .command('erase')
    .description(
      'Erase people for a privacy request: their records and identifiers, and every trace in history and in the store files; each profile keeps an `erased` tombstone.',
    )
    .argument('[profiles...]', 'profile IDs (merged IDs are followed)')
    .option(
      '--identifier <type=value>',
      'an identifier the person gave, e.g. email=ann@example.com; it must be held by one profile only (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--country <cc>', 'default country for phone numbers given with --identifier')
    .option('--dry-run', 'only say which profiles and how many records would be erased')
    .option('--actor <name>', 'who erases (default: user:$USER)')
    .option('--note <text>', 'a request reference for the history (no personal data)')
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .option('--rules <file>', 'rules file (default: the rules stored with the graph)')
    .option(
      '--audiences <folder>',
      'the audience folder of an embedded store, whose member rows naming the erased people are removed (default: as `idgraph audience`; Neo4j keeps audiences in the graph)',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      // Ann Lee of the demo data (see synth/known-people.ts): the examples run as written there.
      '\nExamples:\n  idgraph erase --identifier email=ann.lee@gmail.com --dry-run\n  idgraph erase p_7761a780711df4bf24a0 --note "DSR-2026-114"',
    )
    .action(async (profiles: string[], options: Flags) => {
      if (profiles.length === 0 && options.identifier.length === 0) {
        throw new CliError('name at least one profile ID or --identifier type=value', 2);
      }
      await withEngine(options, io, async (engine, store, rules) => {
        const keys = options.identifier.map((text) => identifierFrom(rules, text, options.country));
        const targets = await erasureTargets(store, profiles, keys);
        const records = targets.reduce((sum, target) => sum + target.records, 0);
        const audiences = new AudienceStore(store);
        const { summary, audienceRows } = await erasePeople(
          engine,
          audiences,
          targets.map((target) => target.profileId),
          {
            actor: options.actor ?? defaultActor(io),
            ...(options.note ? { note: options.note } : {}),
            ...(options.dryRun ? { dryRun: true } : {}),
          },
        );
        if (options.json) {
          io.out(
            `${JSON.stringify({ dryRun: !summary, profiles: targets, erasedRecords: records, audienceRows, commit: summary?.commit ?? null })}\n`,
          );
        } else if (!summary) {
          io.out(
            `would erase ${targets.length} profile(s), ${records} record(s), ${audienceRows} audience row(s): ${names(targets)}\n`,
          );
        } else {
          io.out(
            `commit ${summary.commit}: erased ${targets.length} profile(s), ${summary.erasedRecords} record(s), ${audienceRows} audience row(s): ${names(targets)}\n`,
          );
        }
      });
    });
}

const names = (targets: readonly { profileId: string }[]) => targets.map((target) => target.profileId).join(', ');

/** `type=value` to an identifier key; the label names the argument, never the value. */
function identifierFrom(
  rules: IdentifierRules,
  text: string,
  country: string | undefined,
): { label: string; key: string } {
  const equals = text.indexOf('=');
  const type = equals > 0 ? text.slice(0, equals) : '';
  if (!rules.file.identifiers[type]) {
    throw new CliError(
      `--identifier wants type=value with a type of the rules (${Object.keys(rules.file.identifiers).join(', ')})`,
      2,
    );
  }
  const result = normalizedKey(rules, { type, value: text.slice(equals + 1), ...(country ? { country } : {}) });
  if (!result.ok) throw new CliError(`the --identifier ${type} is not usable: ${result.reason}`, 2);
  return { label: `the --identifier ${type}`, key: result.key };
}
