/** `idgraph audience create|list|delete|report|export`: audiences, match-rate reports and upload files. */
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { AudienceService, audienceFolder, parseMembers } from '../../audience/audience-service.js';
import { AudienceError } from '../../audience/audience-store.js';
import { DestinationSettingsError, loadDestinationCatalog } from '../../audience/destination-settings-file.js';
import type { ProgressListener } from '../../audience/pass-progress.js';
import type { MatchReport } from '../../core/audience/report-types.js';
import { DESTINATION_IDS, type DestinationId } from '../../core/destinations/destination-profile.js';
import type { Input } from '../../ingest/input.js';
import { type FileFormat, formatOf, readRows } from '../../ingest/read-rows.js';
import { rejectMessage } from '../../ingest/reject-file.js';
import { withEngine } from '../engine-session.js';
import { closeInputs, failOnRejects, openInputs, type RejectLimit } from '../intake.js';
import { CliError, type CliIo } from '../io.js';
import { parseNonNegativeInt } from '../options.js';
import { createProgress, createStepProgress } from '../progress.js';
import { rejectFileFor } from '../rejects-path.js';
import { formatOverview, formatReport } from '../report-table.js';
import { withRowReadingOptions } from './intake-options.js';

interface Flags {
  store?: string;
  rules?: string;
  audiences?: string;
  destinations?: string;
  json?: boolean;
  workers?: number;
}

const withCommonOptions = (command: Command) =>
  command
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .option('--rules <file>', 'rules file (default: the rules stored with the graph)')
    .option(
      '--destinations <file>',
      'destination settings: match-key priors, minimums (default: IDGRAPH_DESTINATIONS, else built-in)',
    )
    .option(
      '--audiences <folder>',
      'where an embedded store keeps audiences (default: <store>/audiences); Neo4j keeps them in the graph',
    );

/** For the commands that make a pass over the people (report, export). */
const withWorkersOption = (command: Command) =>
  command.option(
    '--workers <n>',
    'threads that evaluate the people while they are read (default: one per core for audiences of ' +
      '50,000 rows or more, else none; 0 for none)',
    parseNonNegativeInt,
  );

export function registerAudienceCommands(program: Command, io: CliIo, isTty: () => boolean = () => false): void {
  const audience = program
    .command('audience')
    .description(
      'Audiences: create them from member files, report their match rate per destination, export upload files.',
    );

  withCommonOptions(
    withRowReadingOptions(audience.command('create'))
      .description('Create (or --replace) an audience from a CSV or NDJSON file of members.')
      .argument('<id>', 'audience id: lowercase letters, digits, "-" and "_"')
      .requiredOption('--from <file>', 'members file (CSV or NDJSON, gzipped or not; - for stdin)')
      .option('--name <name>', 'a display name')
      .option('--suppress <id...>', 'audiences whose people are removed from this one')
      .option('--replace', 'replace an audience of the same id')
      .addOption(
        new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'ndjson']),
      )
      .addHelpText(
        'after',
        [
          '',
          'Each row names one member by any of:',
          '  profile_id                  a profile ID (merged IDs are followed)',
          '  source, record_id           a record',
          "  email, phone, device_id...  raw identifiers and attributes, by the rules file's names (country helps phones)",
          'Rows that are none of these, and malformed rows (wrong column count, bad quoting, broken JSON,',
          'invalid UTF-8), are rejected alone and listed in the rejects file (as `idgraph ingest` lists them);',
          'the others make the audience. Exit status: 0, or 3 when more rows were rejected than',
          '--max-rejects allows (the audience is still made of the accepted rows).',
          '',
          'Example:',
          '  idgraph audience create spring-sale --from members.csv --suppress recent-buyers',
        ].join('\n'),
      ),
  ).action(
    async (
      id: string,
      options: Flags & {
        from: string;
        name?: string;
        suppress?: string[];
        replace?: boolean;
        format?: FileFormat;
        rejects?: string;
        maxRejects?: RejectLimit;
        progress?: boolean;
      },
    ) => {
      const rejects = await rejectFileFor({
        explicit: options.rejects,
        storeSpec: options.store ?? io.env.IDGRAPH_STORE,
        label: `audience-${id}`.slice(0, 80),
      });
      await withService(options, io, async (service, rules) => {
        const [input] = (await openInputs([options.from])) as [Input];
        const rows = [];
        // Why a malformed row was refused, for its reject line.
        const details = new Map<number, string>();
        const progress = options.progress === false ? undefined : createProgress(io.err, isTty(), undefined, 'read');
        const tell = () =>
          progress?.update({
            file: input.name,
            rows: rows.length,
            ...(input.size !== undefined ? { bytes: input.bytesRead(), totalBytes: input.size } : {}),
          });
        try {
          for await (const entry of readRows(input, formatOf(input.path, options.format))) {
            if (entry.ok) rows.push({ line: entry.line, row: entry.row });
            else {
              rows.push({ line: entry.line, problem: entry.reason });
              details.set(entry.line, entry.detail);
            }
            if (rows.length % 1000 === 0) tell();
          }
          tell();
          progress?.finish();
        } finally {
          await closeInputs([input]);
        }
        const outcome = parseMembers(rows, rules);
        try {
          for (const rejection of outcome.rejected) {
            await rejects.write({
              file: input.name,
              line: rejection.line,
              source: `audience:${id}`,
              code: rejection.reason,
              message: rejectMessage(rejection.reason, details.get(rejection.line)),
            });
          }
        } finally {
          await rejects.close();
        }
        const definition = await service.create(id, outcome, {
          ...(options.name ? { name: options.name } : {}),
          ...(options.suppress ? { suppress: options.suppress } : {}),
          ...(options.replace ? { replace: true } : {}),
        });
        const preview = await service.preview(definition.id);
        const rejectsFile = rejects.written;
        if (options.json) {
          io.out(
            `${JSON.stringify({ ...definition, preview, rejected: outcome.rejected.slice(0, 100), rejectsFile: rejectsFile ?? null })}\n`,
          );
        } else {
          io.out(
            `audience ${definition.id}: ${n(definition.rows - definition.rowsRejected)} members (${n(definition.rowsRejected)} rejected${rejectsFile ? ` -> ${rejectsFile}` : ''})` +
              ` -> ${n(preview.people)} people after resolution (${n(preview.suppressed)} suppressed,` +
              ` ${n(preview.rowsNotFound)} rows not found, ${n(preview.rowsUnresolved)} rows matching no profile)\n`,
          );
          for (const [reason, count] of Object.entries(definition.rejectedByReason)) {
            io.out(`  ${reason.padEnd(24)} ${n(count)}\n`);
          }
        }
        failOnRejects(options.maxRejects, { rejected: definition.rowsRejected, rows: definition.rows }, rejectsFile);
      });
    },
  );

  withCommonOptions(
    audience.command('list').description('The audiences and their sizes in rows.').option('--json', 'print JSON'),
  ).action(async (options: Flags) => {
    await withService(options, io, async (service) => {
      const list = await service.audiences.list();
      if (options.json) io.out(`${JSON.stringify(list)}\n`);
      else
        for (const item of list)
          io.out(
            `${item.id}\t${n(item.rows)} rows\t${item.createdAt}${item.suppress.length ? `\tminus ${item.suppress.join(', ')}` : ''}\n`,
          );
    });
  });

  withCommonOptions(
    audience
      .command('delete')
      .description('Delete an audience, its members and the saved segment of the same id.')
      .argument('<id>', 'audience id'),
  ).action(async (id: string, options: Flags) => {
    await withService(options, io, async (service) => {
      await service.audiences.remove(id);
      io.out(`deleted audience ${id}\n`);
    });
  });

  withCommonOptions(
    withWorkersOption(
      audience
        .command('report')
        .description(
          'Match-rate report: funnel in people, coverage before and after resolution, invalid and junk values, expected matches, ranked fixes.',
        )
        .argument('<id>', 'audience id')
        .addOption(
          new Option('--destination <name>', 'a destination, or "all" for one line per destination')
            .choices([...DESTINATION_IDS, 'all'])
            .makeOptionMandatory(),
        )
        .option('--no-progress', 'no progress bar (it is shown on a terminal only)')
        .option('--json', 'print JSON'),
    ),
  ).action(async (id: string, options: Flags & { destination: DestinationId | 'all'; progress?: boolean }) => {
    await withService(options, io, async (service) => {
      const progress = options.progress === false ? undefined : passProgress(io, isTty());
      if (options.destination === 'all') {
        const reports = await service.reports(id, DESTINATION_IDS, progress);
        io.out(options.json ? `${JSON.stringify(reports)}\n` : formatOverview(reports));
        return;
      }
      const [report] = (await service.reports(id, [options.destination], progress)) as [MatchReport];
      io.out(options.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    });
  });

  withCommonOptions(
    withWorkersOption(
      audience
        .command('export')
        .description(
          "Write the destination's upload file: its columns, normalized and hashed its way. No network calls.",
        )
        .argument('<id>', 'audience id')
        .addOption(new Option('--destination <name>', 'destination').choices(DESTINATION_IDS).makeOptionMandatory())
        .requiredOption('--out <file>', 'the CSV file to write')
        .option('--report', "also print the destination's match-rate report, from the same pass over the people")
        .option('--json', 'print JSON'),
    ),
  ).action(async (id: string, options: Flags & { destination: DestinationId; out: string; report?: boolean }) => {
    await withService(options, io, async (service) => {
      const wrote = (summary: { rows: number; people: number; path: string }) =>
        `wrote ${n(summary.rows)} rows for ${n(summary.people)} people to ${summary.path}\n`;
      if (options.report) {
        const both = await service.exportWithReport(id, options.destination, options.out);
        io.out(options.json ? `${JSON.stringify(both)}\n` : `${wrote(both.export)}\n${formatReport(both.report)}`);
        return;
      }
      const summary = await service.export(id, options.destination, options.out);
      io.out(options.json ? `${JSON.stringify(summary)}\n` : wrote(summary));
    });
  });
}

const n = (value: number) => value.toLocaleString('en-US');

async function withService(
  options: Flags,
  io: CliIo,
  work: (service: AudienceService, rules: Parameters<typeof parseMembers>[1]) => Promise<void>,
): Promise<void> {
  await withEngine(options, io, async (_engine, store, rules) => {
    const { env } = io;
    // Working files of large reports hold member rows: beside the audiences (.idgraph/audiences with Neo4j).
    const workFolder = join(audienceFolder(options.store ?? env.IDGRAPH_STORE, options.audiences), '.work');
    try {
      const catalog = await loadDestinationCatalog(options.destinations ?? env.IDGRAPH_DESTINATIONS);
      const service = new AudienceService(store, rules, store, catalog, Date.now, {
        workFolder,
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
      });
      await work(service, rules);
    } catch (error) {
      if (error instanceof AudienceError || error instanceof DestinationSettingsError)
        throw new CliError(`${error.message} [${error.code}]`, 1);
      throw error;
    }
  });
}

/** A report's two steps as progress bars on a terminal: member rows resolved, then people evaluated. */
function passProgress(io: CliIo, isTty: boolean): ProgressListener | undefined {
  if (!isTty) return undefined;
  const steps = {
    members: createStepProgress(io.err, true, 'resolve members', 'rows'),
    people: createStepProgress(io.err, true, 'evaluate people', 'rows'),
  };
  return ({ step, done, total }) => steps[step].update(done, total);
}
