/** Read-only questions about the graph: explain, history, profile, lookup (answered by src/queries). */
import type { Command } from 'commander';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { MergeEdge } from '../../core/resolve/types.js';
import { explainEndOf, explainPair } from '../../queries/explain.js';
import { profileHistory } from '../../queries/history.js';
import { lookupIdentifier } from '../../queries/lookup.js';
import { profileView } from '../../queries/profile.js';
import { formatApartReason } from '../apart-reasons.js';
import { withEngine } from '../engine-session.js';
import { CliError, type CliIo } from '../io.js';
import { type ReadFlags, withReadOptions } from './read-options.js';

type Flags = ReadFlags;

export function registerInspectCommands(program: Command, io: CliIo): void {
  withReadOptions(
    program
      .command('explain')
      .description(
        'Why two records (source:record_id) or identifiers (type=value) are in one profile, or what keeps them apart.',
      )
      .argument('<a>', 'a record reference like crm:1001, or an identifier like email=ann@example.com')
      .argument('<b>', 'the other record or identifier')
      .addHelpText(
        'after',
        [
          '',
          'Apart, it lists what kept them apart: a rule field missing on one side, a field that differs, a',
          'value several people use, a fuzzy score below the threshold, or a merge a rule proposed and a',
          'guard, a manual decision, a limit or the profile size cap refused. Values are shown masked.',
          'With --json: {"sameProfile":false,"profiles":[...],"apart":[{"reason":CODE,...},...]}.',
          '',
          'Example (demo data):',
          '  idgraph explain crm:C000001 email=annlee@googlemail.com',
        ].join('\n'),
      ),
  ).action(async (a: string, b: string, options: Flags) => {
    await withEngine(
      options,
      io,
      async (engine, store, rules) => {
        const ends = [explainEndOf(rules, a), explainEndOf(rules, b)] as const;
        const answer = await explainPair(store, rules, ...ends, () => engine.termFrequencies());
        const [left, right] = answer.profiles;
        if (!answer.sameProfile) {
          const { apart } = answer;
          if (options.json) io.out(`${JSON.stringify({ sameProfile: false, profiles: [left, right], apart })}\n`);
          else {
            const reasons = apart.map((reason) => `  ${formatApartReason(reason, [a, b])}`);
            io.out(`${a} and ${b} are in different profiles (${left} and ${right}):\n${reasons.join('\n')}\n`);
          }
          return;
        }
        const { profileId, path } = answer;
        if (options.json) io.out(`${JSON.stringify({ sameProfile: true, profileId, path })}\n`);
        else io.out(`${a} and ${b} are both in profile ${profileId}:\n${path.map(formatEdge).join('\n')}\n`);
      },
      'read',
    );
  });

  withReadOptions(
    program.command('history').description("A profile's events, oldest first.").argument('<profile>', 'profile ID'),
  ).action(async (id: string, options: Flags) => {
    await withEngine(
      options,
      io,
      async (_engine, store) => {
        const history = await profileHistory(store, id);
        if (options.json) {
          io.out(`${JSON.stringify(history)}\n`);
          return;
        }
        if (history.currentProfile && history.currentProfile !== id)
          io.out(`${id} was merged into ${history.currentProfile}\n`);
        for (const event of history.events) io.out(`${formatEvent(event)}\n`);
      },
      'read',
    );
  });

  withReadOptions(
    program
      .command('profile')
      .description('A profile with its golden record, identifiers and records (merged IDs are followed).')
      .argument('<profile>', 'profile ID')
      .option(
        '--at <time>',
        'the profile as it was at this ISO 8601 instant, rebuilt from its history (record contents are current)',
      )
      .addHelpText(
        'after',
        '\nExample (demo data; any instant after the store was made):\n  idgraph profile p_7761a780711df4bf24a0 --at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"',
      ),
  ).action(async (id: string, options: Flags & { at?: string }) => {
    const at = options.at === undefined ? undefined : instant(options.at);
    await withEngine(
      options,
      io,
      async (_engine, store, rules) => {
        const view = await profileView(store, rules, id, at);
        io.out(`${JSON.stringify(view, null, options.json ? undefined : 2)}\n`);
      },
      'read',
    );
  });

  withReadOptions(
    program
      .command('lookup')
      .description(
        'The profile holding an identifier (normalized by the rules first). When several profiles hold the value, ' +
          '"ambiguous" is true and "profiles" lists them all.',
      )
      .argument('<type>', 'identifier type, e.g. email')
      .argument('<value>', 'raw value, e.g. "Ann.Lee@GoogleMail.com"')
      .option('--country <cc>', 'default country for phone numbers'),
  ).action(async (type: string, value: string, options: Flags & { country?: string }) => {
    await withEngine(
      options,
      io,
      async (_engine, store, rules) => {
        const input = { type, value, ...(options.country ? { country: options.country } : {}) };
        const { profileId, records, ambiguous, profiles } = await lookupIdentifier(store, rules, input);
        if (ambiguous) io.err(`idgraph: ${profiles.length} profiles hold that ${type}: ${profiles.join(', ')}\n`);
        io.out(`${JSON.stringify({ profileId, records, ambiguous, profiles })}\n`);
      },
      'read',
    );
  });
}

/** An ISO 8601 instant with its offset, as the API takes it; anything else is a usage error. */
function instant(text: string): string {
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ||
    Number.isNaN(Date.parse(text))
  ) {
    throw new CliError(`--at wants an ISO 8601 instant such as 2026-06-01T00:00:00Z, not "${text}"`, 2);
  }
  return text;
}

function formatEdge(edge: MergeEdge): string {
  const detail = edge.evidence
    .map((item) =>
      item.similarity !== undefined
        ? `${item.field} ${item.comparator} ${item.similarity}`
        : item.distance !== undefined
          ? `${item.field} distance ${item.distance}`
          : `${item.field} equal`,
    )
    .join(', ');
  return `  ${edge.a} -- ${edge.b}  rule ${edge.rule}${edge.score !== undefined ? ` score ${edge.score}` : ''}${detail ? ` (${detail})` : ''}`;
}

function formatEvent(event: ProfileEvent): string {
  const arrow = `${event.before.join('+') || '(new)'} -> ${event.after.join('+')}`;
  const why = event.rule ? ` rule ${event.rule}` : event.cause ? ` cause ${event.cause}` : '';
  return `${event.at}  ${event.id.padEnd(12)} ${event.kind.padEnd(17)} ${arrow}${why}  by ${event.actor}${
    event.records.length > 0 ? `  records ${event.records.length}` : ''
  }${event.note ? `  "${event.note}"` : ''}`;
}
