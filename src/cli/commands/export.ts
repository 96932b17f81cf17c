import type { Command } from 'commander';
import { exportedProfiles, recordRows } from '../../queries/export.js';
import type { Destination } from '../../resolved-tables/destination.js';
import { parseDestination } from '../../resolved-tables/destination-url.js';
import { ExportError } from '../../resolved-tables/export-error.js';
import { type ExportSummary, exportResolved } from '../../resolved-tables/export-resolved.js';
import { openDestination } from '../../resolved-tables/open-destination.js';
import { tableLayout } from '../../resolved-tables/table-layout.js';
import { VERSION } from '../../runtime/version.js';
import { isNeo4jSpec } from '../../store/open-store.js';
import { withEngine, withStore } from '../engine-session.js';
import { CliError, type CliIo } from '../io.js';

interface StoreFlags {
  store?: string;
  rules?: string;
}

interface ResolvedFlags extends StoreFlags {
  to: string;
  prefix: string;
  full?: boolean;
  json?: boolean;
}

export function registerExportCommands(program: Command, io: CliIo): void {
  const exportCommand = program
    .command('export')
    .description('Write the resolved graph out: to standard output, or as tables to a database or Parquet files.');

  exportCommand
    .command('records')
    .description('CSV of every record and its profile: source,record_id,profile_id')
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .action(async (options: StoreFlags) => {
      await withStore(
        options,
        io,
        async (store) => {
          io.out('source,record_id,profile_id\n');
          for await (const { source, recordId, profileId } of recordRows(store)) {
            io.out(`${csvField(source)},${csvField(recordId)},${profileId ?? ''}\n`);
          }
        },
        'read',
      );
    });

  exportCommand
    .command('profiles')
    .description('NDJSON, one profile a line: identifiers, golden attributes and record references')
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .option('--rules <file>', 'rules for survivorship (default: the rules stored with the graph)')
    .action(async (options: StoreFlags) => {
      await withEngine(
        options,
        io,
        async (_engine, store, rules) => {
          for await (const profile of exportedProfiles(store, rules)) io.out(`${JSON.stringify(profile)}\n`);
        },
        'read',
      );
    });

  exportCommand
    .command('resolved')
    .summary('the resolved tables to PostgreSQL, DuckDB or Parquet files; later runs write what changed')
    .description(
      'Write the resolved tables P_resolved, P_identifiers, P_profiles, P_redirects and P_export_state to ' +
        'PostgreSQL, DuckDB or a folder of Parquet files, in one transaction; after the first run, only the ' +
        'profiles changed since the last one',
    )
    .requiredOption(
      '--to <url>',
      'postgresql://USER:PASSWORD@HOST:PORT/DATABASE, duckdb:///FILE, or a folder for Parquet files (parquet:///FOLDER)',
    )
    .requiredOption('--prefix <name>', 'the tables are named PREFIX_resolved, PREFIX_profiles, ... (a-z, 0-9, _)')
    .option('--full', 'rewrite every table, even when only changes since the last run could be written')
    .option('--json', 'print the summary as one JSON line')
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .option('--rules <file>', 'rules for survivorship (default: the rules stored with the graph)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  idgraph export resolved --to resolved --prefix idgraph\n' +
        '  idgraph export resolved --to duckdb:///resolved.duckdb --prefix idgraph\n\n' +
        'On PostgreSQL: idgraph export resolved --to postgresql://etl@db:5432/warehouse --prefix idgraph',
    )
    .action(async (options: ResolvedFlags) => {
      // Bad arguments fail before the store is opened (a large one takes seconds to open).
      await asCliError(async () => {
        parseDestination(options.to);
        tableLayout(options.prefix, []);
      });
      let destination: Destination | undefined;
      try {
        destination = await asCliError(() => openDestination(options.to));
        const to = destination;
        const summary = await withEngine(
          options,
          io,
          (_engine, store, rules) =>
            asCliError(() =>
              exportResolved(store, rules, to, {
                prefix: options.prefix,
                full: options.full,
                version: VERSION,
                // The embedded store, opened to read, is a snapshot; Neo4j takes commits meanwhile.
                storeMayChange: isNeo4jSpec(options.store ?? io.env.IDGRAPH_STORE ?? ''),
              }),
            ),
          'read',
        );
        io.out(options.json ? `${JSON.stringify(summary)}\n` : describeRun(summary));
      } finally {
        await destination?.close();
      }
    });
}

/** An ExportError as the CLI's one-line error: bad --to or --prefix exit 2, the rest 1. */
async function asCliError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    throw new CliError(`${error.message} [${error.code}]`, error.code === 'DESTINATION_URL' ? 2 : 1);
  }
}

function describeRun(summary: ExportSummary): string {
  const count = (n: number) => n.toLocaleString('en-US');
  return (
    `run ${summary.run} to ${summary.destination} (${summary.prefix}_*): ` +
    `${summary.full ? 'full' : 'incremental'}, ${summary.reason}, through store commit ${summary.storeCommit}\n` +
    `profiles written   ${count(summary.profilesWritten)}\n` +
    `profiles removed   ${count(summary.profilesRemoved)}\n` +
    `records written    ${count(summary.recordsWritten)}\n` +
    `identifiers        ${count(summary.identifiersWritten)}\n` +
    `redirects written  ${count(summary.redirectsWritten)}\n` +
    `rows written       ${count(summary.rowsWritten)}\n` +
    `time               ${summary.seconds.toFixed(1)} s\n`
  );
}

/** RFC 4180 quoting when a value needs it. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
