import type { Command } from 'commander';
import { Option } from 'commander';
import type { BulkLoadStep } from '../../engine/bulk-load/bulk-load.js';
import type { PhaseTimings } from '../../engine/timings.js';
import { redactUrl } from '../../ingest/database-url.js';
import { firstLoad } from '../../ingest/first-load.js';
import type { FileFormat } from '../../ingest/read-rows.js';
import type { Intake } from '../../ingest/table-source.js';
import { rememberWatermarks } from '../../ingest/watermark.js';
import type { SourceState } from '../../store/graph-store.js';
import type { ImportFilesStore } from '../../store/neo4j/import-files/import-files-store.js';
import { openImportFiles } from '../../store/open-store.js';
import { type OpenStore, withEngine } from '../engine-session.js';
import { watchHeap } from '../heap-watch.js';
import { checkColumns, closeInputs, failOnRejects, openIntakes, type RejectLimit } from '../intake.js';
import { CliError, type CliIo } from '../io.js';
import { parseNonNegativeInt, parsePositiveInt } from '../options.js';
import { createProgress, createStepProgress, type StepProgress } from '../progress.js';
import { rejectFileFor } from '../rejects-path.js';
import { formatSummary, INTAKE_HELP, withIntakeOptions } from './intake-options.js';
import { refuseToMixDataSets } from './load-guard.js';

interface LoadOptions {
  rules?: string;
  store?: string;
  format?: FileFormat;
  rejects?: string;
  maxRejects?: RejectLimit;
  strict?: boolean;
  commitSize?: number;
  workers?: number;
  json?: boolean;
  progress?: boolean;
  add?: boolean;
  importFiles?: string;
}

export function registerLoadCommand(program: Command, io: CliIo, isTty: () => boolean): void {
  withIntakeOptions(
    program
      .command('load')
      .description(
        'First load of several sources at once: on an empty store, all records are resolved together and ' +
          'written in large commits (faster than ingest); on a store with data, the sources are ingested in turn.',
      )
      .argument(
        '<source=file...>',
        'a source name from the rules file and one of its files (NDJSON or CSV, gzipped or not; Parquet; - for ' +
          'stdin) or database tables (postgresql://user:password@host/db#table, duckdb:///file.duckdb#table)',
      )
      .option('--rules <file>', 'rules file (default: IDGRAPH_RULES, else the rules stored with the graph)')
      .option('--store <spec>', 'embedded store folder or neo4j:// URI (default: IDGRAPH_STORE or .idgraph/store)')
      .addOption(
        new Option('--format <format>', 'file format (default: by file extension; NDJSON for stdin)').choices([
          'ndjson',
          'csv',
        ]),
      )
      .option(
        '--commit-size <n>',
        'records per commit (default: 10,000 on an empty store, 5,000 per batch on a store with data)',
        parsePositiveInt,
      )
      .option(
        '--add',
        'load into a store that holds the demo data or sources this load does not name (refused without it)',
      )
      .option(
        '--workers <n>',
        'on an empty store, threads that normalize rows while files are read, then resolve while records are ' +
          'written (default: one per core; 0 for none)',
        parseNonNegativeInt,
      )
      .option(
        '--import-files <dir>',
        "write the first load as files for Neo4j's offline importer into DIR (new or empty) instead of into a " +
          'store; needs --rules; then import them into a new database (see below)',
      ),
  )
    .addHelpText(
      'after',
      '\nExample (a store of its own for the data set):\n' +
        '  idgraph load --store .idgraph/mine --rules rules/default.yaml crm=crm.ndjson web=web.ndjson app=app.ndjson\n' +
        'From a database and a Parquet file:\n' +
        '  idgraph load crm=postgresql://reader:secret@db:5432/shop#customers web=duckdb:///events.duckdb#sessions \\\n' +
        '    orders=orders.parquet\n\n' +
        'A database table is SOURCE=URL#TABLE (sales.orders for another schema; a query needs `ingest --query`).\n' +
        "Every row is read; once the load is written, the newest value of the source's timestamp column is\n" +
        'remembered as its watermark, so `idgraph ingest --source crm --from URL --table customers` then\n' +
        'reads only newer rows. A failed load remembers nothing.\n\n' +
        'On an empty store the prepared records are held in memory until written (peak 1.2 to 1.5 GB for a\n' +
        "million records). Node's default heap limit (about 4 GB) holds about 3 million records; for more,\n" +
        'raise it, for example NODE_OPTIONS=--max-old-space-size=20480 (a warning says so when the heap\n' +
        'nears its limit; docs/scale.md has the figures). The summary tells the time spent per phase and\n' +
        'the peak memory. If the run is cut short, run it again: the store then holds data, so the files\n' +
        'are ingested batch by batch, which updates records already written and never duplicates them.\n' +
        'In the summary of the bulk path, merges counts the records joined into a profile with others\n' +
        '(records - profiles).\n\n' +
        'A store that holds the demo data, or records of sources this load does not name, is refused\n' +
        '(exit 2): give the data set a store of its own, or pass --add to load into that one.\n\n' +
        "A first load into Neo4j goes faster through Neo4j's offline importer: --import-files DIR resolves the\n" +
        'records as the bulk path does and writes the graph as CSV files with their importer arguments\n' +
        '(DIR/import.args), with no database involved. Then, with the server stopped, into a new data folder:\n' +
        '  idgraph load --import-files graph/import --rules rules/default.yaml crm=crm.ndjson web=web.ndjson\n' +
        '  NEO4J_DATA=graph/data npm run neo4j -- --import graph/import   # the local launcher: import, then serve\n' +
        '  (on a Neo4j server: cd graph/import && neo4j-admin database import full neo4j @import.args)\n' +
        'idgraph creates the constraints and indexes when it first connects (or run `idgraph graph migrate`).\n\n' +
        INTAKE_HELP,
    )
    .action(async (pairs: string[], options: LoadOptions) => {
      const started = performance.now();
      const sources = parsePairs(pairs);
      const storeSpec = options.store ?? io.env.IDGRAPH_STORE;
      const label = sources.map(({ source }) => source).join('+');
      const importFiles = importFilesTarget(options);
      const rejects = await rejectFileFor({
        // Import files are no store folder: rejects go where they go for a store in Neo4j.
        explicit: options.rejects ?? (importFiles ? '.idgraph/rejects/' : undefined),
        storeSpec,
        label: `load-${label}`.slice(0, 80),
      });
      let phases: PhaseTimings['ms'] | undefined;
      let watermarks: SourceState[] = [];
      // Watched while the records are held: the load, not the summary after it.
      const stopHeapWatch = watchHeap(io.err, 'load');
      const summary = await withEngine(
        options,
        io,
        async (engine, store, rules) => {
          phases = engine.timings.ms;
          const declared = rules.file.sources;
          for (const { source } of sources) {
            if (!declared[source]) {
              const known = Object.keys(declared).join(', ');
              throw new CliError(`unknown source "${source}"; the rules declare: ${known}`, 2);
            }
          }
          if (!options.add) {
            await refuseToMixDataSets(
              store,
              rules,
              sources.map(({ source }) => source),
              options.store ?? io.env.IDGRAPH_STORE,
            );
          }
          const inputs = await openIntakes(
            sources.flatMap(({ source, files }) =>
              files.map((spec) => ({ spec, options: { watermarkColumn: declared[source]?.timestamp } })),
            ),
          );
          try {
            // The inputs were opened in the order of the sources' files: handed back the same way.
            let next = 0;
            const opened = sources.map(({ source, files }) => ({
              source,
              inputs: files.map(() => inputs[next++] as Intake),
            }));
            checkColumns(
              io,
              rules,
              opened.flatMap(({ source, inputs }) => inputs.map((input) => ({ source, input }))),
              options,
            );
            const loaded = await firstLoad({
              engine,
              sources: opened,
              rejects,
              ...(options.commitSize ? { commitSize: options.commitSize } : {}),
              ...(options.workers !== undefined ? { workers: options.workers } : {}),
              ...(options.format ? { format: options.format } : {}),
              ...(options.progress === false
                ? {}
                : {
                    progress: createProgress(io.err, isTty(), undefined, 'read'),
                    onBulkProgress: bulkProgress(io, isTty()),
                  }),
            });
            // Only now, with every record written: a load cut short leaves no watermark behind.
            watermarks = await rememberWatermarks(
              store,
              opened.flatMap(({ source, inputs }) => inputs.map((intake) => ({ source, intake }))),
              new Date().toISOString(),
            );
            await importFiles?.store?.finish();
            return loaded;
          } finally {
            await rejects.close();
            await closeInputs(inputs);
          }
        },
        'write',
        importFiles?.open,
      ).finally(stopHeapWatch);
      const seconds = (performance.now() - started) / 1000;
      const phaseSeconds = phasesInSeconds(phases);
      // The most memory the process held at once, for sizing the machine of a first load.
      const peakMemoryMb = Math.round(process.resourceUsage().maxRSS / 1024);
      const rejectsFile = rejects.written;
      if (options.json) {
        io.out(
          `${JSON.stringify({
            ...summary,
            seconds,
            phases: phaseSeconds,
            peakMemoryMb,
            rejectsFile: rejectsFile ?? null,
            watermarks: watermarks.map(({ source, column, watermark }) => ({ source, column, watermark })),
            ...(importFiles ? { importFiles: { folder: importFiles.folder, ...importFiles.store?.written } } : {}),
          })}\n`,
        );
      } else {
        io.out(
          `path               ${summary.path === 'bulk' ? 'bulk (empty store)' : 'incremental (store had data)'}\n`,
        );
        io.out(formatSummary(summary, seconds, rejectsFile));
        const split = Object.entries(phaseSeconds).map(([phase, value]) => `${phase} ${value.toFixed(1)} s`);
        io.out(`  of which        ${split.join(', ')}\n`);
        io.out(`peak memory        ${peakMemoryMb.toLocaleString('en-US')} MB\n`);
        for (const { source, column, watermark } of watermarks) {
          io.out(`watermark          ${source}: ${column} = ${watermark}\n`);
        }
        const written = importFiles?.store?.written;
        if (importFiles && written) {
          io.out(
            `import files       ${written.nodes.toLocaleString('en-US')} nodes, ` +
              `${written.relationships.toLocaleString('en-US')} relationships in ${importFiles.folder}\n` +
              `next               import them into a new database (server stopped): ` +
              `NEO4J_DATA=<new folder> npm run neo4j -- --import ${importFiles.folder}\n`,
          );
        }
      }
      failOnRejects(options.maxRejects, summary, rejectsFile);
    });
}

/**
 * --import-files: the store the load writes into is a folder of import files; it is no database, so
 * --store and --add have nothing to say, and the rules must be given (none are stored there yet).
 */
function importFilesTarget(
  options: LoadOptions,
): { folder: string; open: OpenStore; store?: ImportFilesStore } | undefined {
  const folder = options.importFiles;
  if (folder === undefined) return undefined;
  if (options.store !== undefined) {
    throw new CliError('--import-files writes files instead of into a store: leave out --store', 2);
  }
  if (options.add) throw new CliError('--import-files writes a first load into an empty graph: leave out --add', 2);
  const target: { folder: string; open: OpenStore; store?: ImportFilesStore } = {
    folder,
    open: async () => {
      target.store = await openImportFiles(folder);
      return target.store;
    },
  };
  return target;
}

/** The bulk path's steps after reading, on a terminal: finding the components, then resolving and writing. */
function bulkProgress(io: CliIo, isTty: boolean): (step: BulkLoadStep) => void {
  // Started when resolving starts, so the rate and time left are the resolving's own.
  let writing: StepProgress | undefined;
  return (step) => {
    if (step.phase === 'components') {
      if (isTty) io.err(`finding the components of ${step.records.toLocaleString('en-US')} records...\n`);
      writing = createStepProgress(io.err, isTty, 'resolve and write', 'records');
      return;
    }
    writing?.update(step.written, step.total);
  };
}

/** Seconds the load spent in each phase, as engine/timings.ts counts them. */
function phasesInSeconds(phases: PhaseTimings['ms'] | undefined): PhaseTimings['ms'] {
  const ms = phases ?? { parse: 0, normalize: 0, match: 0, write: 0 };
  return {
    parse: Math.round(ms.parse) / 1000,
    normalize: Math.round(ms.normalize) / 1000,
    match: Math.round(ms.match) / 1000,
    write: Math.round(ms.write) / 1000,
  };
}

/** `crm=a.ndjson crm=b.ndjson web=c.csv` -> files grouped by source, in the order given. */
export function parsePairs(pairs: readonly string[]): { source: string; files: string[] }[] {
  const bySource = new Map<string, string[]>();
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0 || equals === pair.length - 1) {
      throw new CliError(`"${redactUrl(pair)}" is not SOURCE=FILE (for example crm=crm.ndjson)`, 2);
    }
    const source = pair.slice(0, equals);
    const files = bySource.get(source) ?? [];
    files.push(pair.slice(equals + 1));
    bySource.set(source, files);
  }
  return [...bySource].map(([source, files]) => ({ source, files }));
}
