/** Read-only questions about the graph: explain, history, profile, lookup. */
import type { Command } from 'commander';
import { evidencePath } from '../../core/profile/explain.js';
import { goldenRecord } from '../../core/profile/golden-record.js';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { MergeEdge, RecordRef } from '../../core/resolve/types.js';
import { identifierKey } from '../../core/resolve/types.js';
import type { Engine } from '../../engine/engine.js';
import { profileAt } from '../../history/profile-at.js';
import type { GraphStore } from '../../store/graph-store.js';
import { withEngine } from '../engine-session.js';
import { CliError, type CliIo } from '../io.js';

interface Flags {
  store?: string;
  rules?: string;
  json?: boolean;
}

const storeOptions = (command: Command) =>
  command
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .option('--rules <file>', 'rules file (default: the rules stored with the graph)')
    .option('--json', 'print JSON');

export function registerInspectCommands(program: Command, io: CliIo): void {
  storeOptions(
    program
      .command('explain')
      .description('Why two records (source:record_id) or identifiers (type=value) are in one profile.')
      .argument('<a>', 'a record reference like crm:1001, or an identifier like email=ann@example.com')
      .argument('<b>', 'the other record or identifier')
      .addHelpText('after', '\nExample:\n  idgraph explain crm:1001 email=ann.lee@example.com'),
  ).action(async (a: string, b: string, options: Flags) => {
    await withEngine(
      options,
      io,
      async (engine, store) => {
        const [left, right] = [await resolveEnd(a, engine, store), await resolveEnd(b, engine, store)];
        const ids = await store.profileIdsOf([left, right]);
        const profileId = ids.get(left);
        if (!profileId || profileId !== ids.get(right)) {
          if (options.json)
            io.out(`${JSON.stringify({ sameProfile: false, profiles: [ids.get(left), ids.get(right)] })}\n`);
          else io.out(`${a} and ${b} are in different profiles (${ids.get(left)} and ${ids.get(right)})\n`);
          return;
        }
        const profile = (await store.getProfiles([profileId])).get(profileId);
        const path = evidencePath(profile?.edges ?? [], left, right) ?? [];
        if (options.json) io.out(`${JSON.stringify({ sameProfile: true, profileId, path })}\n`);
        else io.out(`${a} and ${b} are both in profile ${profileId}:\n${path.map(formatEdge).join('\n')}\n`);
      },
      'read',
    );
  });

  storeOptions(
    program.command('history').description("A profile's events, oldest first.").argument('<profile>', 'profile ID'),
  ).action(async (id: string, options: Flags) => {
    await withEngine(
      options,
      io,
      async (_engine, store) => {
        const found = await store.findProfile(id);
        const events = await store.eventsOf(id);
        if (!found && events.length === 0) throw new CliError(`no profile ${id}`, 1);
        if (options.json) {
          io.out(`${JSON.stringify({ profileId: id, currentProfile: found?.profile.id ?? null, events })}\n`);
          return;
        }
        if (found?.redirectedFrom) io.out(`${id} was merged into ${found.profile.id}\n`);
        for (const event of events) io.out(`${formatEvent(event)}\n`);
      },
      'read',
    );
  });

  storeOptions(
    program
      .command('profile')
      .description('A profile with its golden record, identifiers and records (merged IDs are followed).')
      .argument('<profile>', 'profile ID')
      .option(
        '--at <time>',
        'the profile as it was at this ISO 8601 instant, rebuilt from its history (record contents are current)',
      )
      .addHelpText('after', '\nExample:\n  idgraph profile p_0123456789abcdef0123 --at 2026-06-01T00:00:00Z'),
  ).action(async (id: string, options: Flags & { at?: string }) => {
    const at = options.at === undefined ? undefined : instant(options.at);
    await withEngine(
      options,
      io,
      async (engine, store) => {
        const found = at
          ? await profileAt(store, id, at)
          : await store
              .findProfile(id)
              .then((lookup) =>
                lookup
                  ? { ...lookup.profile, profileId: lookup.profile.id, mergedFrom: lookup.redirectedFrom }
                  : undefined,
              );
        if (!found) throw new CliError(at ? `no profile ${id} at ${at}` : `no profile ${id}`, 1);
        const records = [...(await store.getRecords(found.records)).values()];
        const golden = goldenRecord(records, engine.rulesInUse.file);
        const view = {
          profileId: found.profileId,
          ...(found.mergedFrom ? { mergedFrom: found.mergedFrom } : {}),
          ...(at ? { asOf: at } : {}),
          records: found.records,
          ...golden,
        };
        io.out(`${JSON.stringify(view, null, options.json ? undefined : 2)}\n`);
      },
      'read',
    );
  });

  storeOptions(
    program
      .command('lookup')
      .description('The profile holding an identifier (normalized by the rules first).')
      .argument('<type>', 'identifier type, e.g. email')
      .argument('<value>', 'raw value, e.g. "Ann.Lee@Example.com"')
      .option('--country <cc>', 'default country for phone numbers'),
  ).action(async (type: string, value: string, options: Flags & { country?: string }) => {
    await withEngine(
      options,
      io,
      async (engine, store) => {
        const identifier = normalizeIdentifier(engine, type, value, options.country);
        const profile = await store.profileByIdentifier(identifier);
        if (!profile) throw new CliError(`no profile holds that ${type}`, 1);
        io.out(`${JSON.stringify({ profileId: profile.id, records: profile.records })}\n`);
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

async function resolveEnd(text: string, engine: Engine, store: GraphStore): Promise<RecordRef> {
  const equals = text.indexOf('=');
  if (equals > 0 && engine.rulesInUse.file.identifiers[text.slice(0, equals)]) {
    const identifier = normalizeIdentifier(engine, text.slice(0, equals), text.slice(equals + 1));
    const holders = (await store.holdersOf([identifier])).get(identifier) ?? [];
    const first = holders.sort()[0];
    if (!first) throw new CliError(`no record holds ${text.slice(0, equals)} of that value`, 1);
    return first;
  }
  if ((await store.getRecords([text])).size === 0) throw new CliError(`no record ${text}`, 1);
  return text;
}

function normalizeIdentifier(engine: Engine, type: string, value: string, country?: string): string {
  if (!engine.rulesInUse.file.identifiers[type]) {
    throw new CliError(`unknown identifier type "${type}"`, 2);
  }
  const result = engine.rulesInUse.normalizers.normalize(type, value, country ? { country } : {});
  if (!result.ok) throw new CliError(`that ${type} is not usable: ${result.reason}`, 1);
  return identifierKey(type, result.key);
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
