import type { Command } from 'commander';
import { Option } from 'commander';
import { openIncrementalRead } from '../../ingest/incremental-read.js';
import { DEFAULT_BATCH_SIZE, ingestFiles } from '../../ingest/ingest-files.js';
import type { FileFormat } from '../../ingest/read-rows.js';
import { type Intake, isTable } from '../../ingest/table-source.js';
import { rememberWatermarks } from '../../ingest/watermark.js';
import { withEngine } from '../engine-session.js';
import { checkColumns, closeInputs, failOnRejects, openIntakes, type RejectLimit } from '../intake.js';
import { CliError, type CliIo } from '../io.js';
import { parsePositiveInt } from '../options.js';
import { createProgress } from '../progress.js';
import { rejectFileFor } from '../rejects-path.js';
import { formatSummary, INTAKE_HELP, withIntakeOptions } from './intake-options.js';

interface IngestOptions {
  rules?: string;
  store?: string;
  source: string;
  format?: FileFormat;
  batchSize: number;
  rejects?: string;
  maxRejects?: RejectLimit;
  strict?: boolean;
  json?: boolean;
  progress?: boolean;
  from?: string;
  table?: string;
  query?: string;
  sinceColumn?: string;
  full?: boolean;
}

export function registerIngestCommand(program: Command, io: CliIo, isTty: () => boolean): void {
  withIntakeOptions(
    program
      .command('ingest')
      .description(
        'Load records of one source (NDJSON, CSV, Parquet, or a database table), resolve them into profiles, and commit.',
      )
      .argument(
        '[files...]',
        'NDJSON (.ndjson, .jsonl) or CSV (.csv) files, gzipped (.gz) or not, or Parquet (.parquet); - for stdin',
      )
      .requiredOption('--source <name>', 'source name, as declared in the rules file')
      .option('--rules <file>', 'rules file (default: IDGRAPH_RULES, else the rules stored with the graph)')
      .option('--store <spec>', 'embedded store folder or neo4j:// URI (default: IDGRAPH_STORE or .idgraph/store)')
      .addOption(
        new Option('--format <format>', 'file format (default: by file extension; NDJSON for stdin)').choices([
          'ndjson',
          'csv',
        ]),
      )
      .option('--batch-size <n>', 'records per commit', parsePositiveInt, DEFAULT_BATCH_SIZE)
      .option(
        '--from <url>',
        'read a database instead of files: postgresql://user:password@host:port/database or duckdb:///file.duckdb',
      )
      .option('--table <name>', 'with --from: the table or view to read (orders, sales.orders)')
      .option('--query <sql>', 'with --from: a query whose rows to read, instead of a table')
      .option(
        '--since-column <column>',
        "with --from: the watermark column (default: the source's timestamp in the rules)",
      )
      .option('--full', 'with --from: read every row, not only those at or after the remembered watermark'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  idgraph ingest --rules rules/default.yaml --source crm crm.ndjson\n' +
        '  gunzip -c orders.csv.gz | idgraph ingest --source orders --format csv --max-rejects 1% -\n\n' +
        'From a database (a scheduled job runs the same line each time):\n' +
        '  idgraph ingest --source crm --from postgresql://reader:secret@db:5432/shop --table customers\n' +
        '  idgraph ingest --source orders --from duckdb:///warehouse.duckdb --query "SELECT * FROM orders WHERE paid"\n\n' +
        'Each batch is committed durably before the next is read.\n\n' +
        'From a database (--from), rows are streamed through a cursor and go through the same mapping,\n' +
        "rejects and commits as a file's; a rejected row is named by the table (or `query`) and its row\n" +
        "number in the result. The source's timestamp column (or --since-column) is the watermark: once the\n" +
        'rows are committed its newest value is remembered in the store, and the next run reads only rows\n' +
        'at or after it (rows already in with the same content are found unchanged), so a scheduled run does\n' +
        'only new work. A run that fails remembers nothing: the next one reads the same rows again.\n' +
        'Timestamps without a time zone are read as UTC.\n\n' +
        INTAKE_HELP,
    )
    .action(async (files: string[], options: IngestOptions) => {
      requireOneKindOfInput(files, options);
      const started = performance.now();
      const storeSpec = options.store ?? io.env.IDGRAPH_STORE;
      const rejects = await rejectFileFor({ explicit: options.rejects, storeSpec, label: options.source });
      const summary = await withEngine(options, io, async (engine, store, rules) => {
        const declared = rules.file.sources[options.source];
        if (!declared) {
          const known = Object.keys(rules.file.sources).join(', ');
          throw new CliError(`unknown source "${options.source}"; the rules declare: ${known}`, 2);
        }
        let inputs: Intake[] = [];
        try {
          if (options.from) {
            const { table, note } = await openIncrementalRead(store, {
              source: options.source,
              from: options.from,
              rows: options.table ? { table: options.table } : { query: options.query as string },
              column: options.sinceColumn ?? declared.timestamp,
              ...(options.full ? { full: true } : {}),
            });
            inputs = [table];
            if (note) io.err(`note: ${note}\n`);
          } else {
            const watermarkColumn = declared.timestamp;
            inputs = await openIntakes(files.map((spec) => ({ spec, options: { watermarkColumn } })));
          }
          checkColumns(
            io,
            rules,
            inputs.map((input) => ({ source: options.source, input })),
            options,
          );
          const counts = await ingestFiles({
            engine,
            source: options.source,
            inputs,
            batchSize: options.batchSize,
            rejects,
            ...(options.format ? { format: options.format } : {}),
            ...(options.progress === false ? {} : { progress: createProgress(io.err, isTty()) }),
          });
          // Only now, with every row committed: a run cut short leaves the watermark where it was.
          await rememberWatermarks(
            store,
            inputs.map((intake) => ({ source: options.source, intake })),
            new Date().toISOString(),
          );
          return { ...counts, watermark: watermarkOf(inputs) };
        } finally {
          await rejects.close();
          await closeInputs(inputs);
        }
      });
      const seconds = (performance.now() - started) / 1000;
      const rejectsFile = rejects.written;
      if (options.json) io.out(`${JSON.stringify({ ...summary, seconds, rejectsFile: rejectsFile ?? null })}\n`);
      else io.out(formatSummary(summary, seconds, rejectsFile) + formatWatermark(summary.watermark));
      failOnRejects(options.maxRejects, summary, rejectsFile);
    });
}

/** Files (or stdin), or --from with a table or a query: one kind of input per run. */
function requireOneKindOfInput(files: readonly string[], options: IngestOptions): void {
  if (options.from) {
    if (files.length > 0) throw new CliError('give files or --from, not both', 2);
    if (Boolean(options.table) === Boolean(options.query)) {
      throw new CliError('--from needs --table NAME or --query SQL (one of them)', 2);
    }
    return;
  }
  const withFrom = { '--table': options.table, '--query': options.query, '--since-column': options.sinceColumn };
  for (const [flag, given] of Object.entries({ ...withFrom, '--full': options.full })) {
    if (given) throw new CliError(`${flag} goes with --from URL`, 2);
  }
  if (files.length === 0) throw new CliError('nothing to read: give files (- for stdin), or --from URL', 2);
}

/** What a database read started from and ends at, for the summary; null for files. */
function watermarkOf(
  inputs: readonly Intake[],
): { column: string; since: string | null; newest: string | null } | null {
  const table = inputs.find(isTable);
  if (!table?.watermark) return null;
  const { column, since, newest } = table.watermark;
  return { column, since: since ?? null, newest: newest ?? null };
}

function formatWatermark(watermark: ReturnType<typeof watermarkOf>): string {
  if (!watermark) return '';
  const read = watermark.since === null ? 'every row' : `${watermark.column} >= ${watermark.since}`;
  const kept = watermark.since === null ? '(none: no row has a value)' : `${watermark.since} (no newer row)`;
  return `read rows          ${read}\nwatermark          ${watermark.column} = ${watermark.newest ?? kept}\n`;
}
