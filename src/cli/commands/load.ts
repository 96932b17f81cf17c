import type { Command } from 'commander';
import { Option } from 'commander';
import type { PhaseTimings } from '../../engine/timings.js';
import { firstLoad, type SourceFiles } from '../../ingest/first-load.js';
import type { FileFormat } from '../../ingest/read-rows.js';
import { RejectFile } from '../../ingest/reject-file.js';
import { withEngine } from '../engine-session.js';
import { CliError, type CliIo } from '../io.js';
import { parseNonNegativeInt, parsePositiveInt } from '../options.js';
import { createProgress } from '../progress.js';
import { formatSummary, requireReadable } from './ingest.js';
import { refuseToMixDataSets } from './load-guard.js';

interface LoadOptions {
  rules?: string;
  store?: string;
  format?: FileFormat;
  rejects: string;
  commitSize?: number;
  workers?: number;
  json?: boolean;
  progress?: boolean;
  add?: boolean;
}

export function registerLoadCommand(program: Command, io: CliIo, isTty: () => boolean): void {
  program
    .command('load')
    .description(
      'First load of several sources at once: on an empty store, all records are resolved together and ' +
        'written in large commits (faster than ingest); on a store with data, the sources are ingested in turn.',
    )
    .argument('<source=file...>', 'a source name from the rules file and one of its files (NDJSON or CSV)')
    .option('--rules <file>', 'rules file (default: IDGRAPH_RULES, else the rules stored with the graph)')
    .option('--store <spec>', 'embedded store folder or neo4j:// URI (default: IDGRAPH_STORE or .idgraph/store)')
    .addOption(new Option('--format <format>', 'file format (default: by file extension)').choices(['ndjson', 'csv']))
    .option('--rejects <file>', 'where rejected rows are listed (file, line, reason)', 'rejects.ndjson')
    .option(
      '--commit-size <n>',
      'records per commit (default: 10,000 on an empty store, 5,000 per batch on a store with data)',
      parsePositiveInt,
    )
    .option(
      '--workers <n>',
      'on an empty store, threads that normalize rows while files are read, then resolve while records are ' +
        'written (default: one per core; 0 for none)',
      parseNonNegativeInt,
    )
    .option(
      '--add',
      'load into a store that holds the demo data or sources this load does not name (refused without it)',
    )
    .option('--no-progress', 'no progress output')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  idgraph load --rules rules/default.yaml crm=crm.ndjson web=web.ndjson app=app.ndjson\n\n' +
        'On an empty store the prepared records are held in memory until written (peak 1.2 to 1.5 GB for a\n' +
        'million records). The summary tells the time spent per phase and the peak memory. If the run is\n' +
        'cut short, run it again: the store then holds data, so the files are ingested batch by batch,\n' +
        'which updates records already written and never duplicates them.\n\n' +
        'A store that holds the demo data, or records of sources this load does not name, is refused\n' +
        '(exit 2): give the data set a store of its own, or pass --add to load into that one.',
    )
    .action(async (pairs: string[], options: LoadOptions) => {
      const started = performance.now();
      const sources = parsePairs(pairs);
      const rejects = new RejectFile(options.rejects);
      let phases: PhaseTimings['ms'] | undefined;
      const summary = await withEngine(options, io, async (engine) => {
        phases = engine.timings.ms;
        const declared = engine.rulesInUse.file.sources;
        for (const { source } of sources) {
          if (!declared[source]) {
            const known = Object.keys(declared).join(', ');
            throw new CliError(`unknown source "${source}"; the rules declare: ${known}`, 2);
          }
        }
        await requireReadable(sources.flatMap(({ files }) => files));
        if (!options.add) {
          await refuseToMixDataSets(
            engine,
            sources.map(({ source }) => source),
            options.store ?? io.env.IDGRAPH_STORE,
          );
        }
        try {
          return await firstLoad({
            engine,
            sources,
            rejects,
            ...(options.commitSize ? { commitSize: options.commitSize } : {}),
            ...(options.workers !== undefined ? { workers: options.workers } : {}),
            ...(options.format ? { format: options.format } : {}),
            ...(options.progress === false
              ? {}
              : {
                  progress: createProgress(io.err, isTty(), undefined, 'read'),
                  onResolving: (records: number) =>
                    io.err(`resolving ${records.toLocaleString('en-US')} records together and writing them...\n`),
                }),
          });
        } finally {
          await rejects.close();
        }
      });
      const seconds = (performance.now() - started) / 1000;
      const phaseSeconds = phasesInSeconds(phases);
      // The most memory the process held at once, for sizing the machine of a first load.
      const peakMemoryMb = Math.round(process.resourceUsage().maxRSS / 1024);
      if (options.json) {
        const rejectsFile = summary.rejected > 0 ? options.rejects : null;
        io.out(`${JSON.stringify({ ...summary, seconds, phases: phaseSeconds, peakMemoryMb, rejectsFile })}\n`);
      } else {
        io.out(
          `path               ${summary.path === 'bulk' ? 'bulk (empty store)' : 'incremental (store had data)'}\n`,
        );
        io.out(formatSummary(summary, seconds, options.rejects));
        const split = Object.entries(phaseSeconds).map(([phase, value]) => `${phase} ${value.toFixed(1)} s`);
        io.out(`  of which        ${split.join(', ')}\n`);
        io.out(`peak memory        ${peakMemoryMb} MB\n`);
      }
    });
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
export function parsePairs(pairs: readonly string[]): SourceFiles[] {
  const bySource = new Map<string, string[]>();
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0 || equals === pair.length - 1) {
      throw new CliError(`"${pair}" is not SOURCE=FILE (for example crm=crm.ndjson)`, 2);
    }
    const source = pair.slice(0, equals);
    const files = bySource.get(source) ?? [];
    files.push(pair.slice(equals + 1));
    bySource.set(source, files);
  }
  return [...bySource].map(([source, files]) => ({ source, files }));
}
