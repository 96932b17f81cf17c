import type { Command } from 'commander';
import { Option } from 'commander';
import { DEFAULT_BATCH_SIZE, ingestFiles } from '../../ingest/ingest-files.js';
import type { FileFormat } from '../../ingest/read-rows.js';
import { withEngine } from '../engine-session.js';
import { checkColumns, closeInputs, failOnRejects, openInputs, type RejectLimit } from '../intake.js';
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
}

export function registerIngestCommand(program: Command, io: CliIo, isTty: () => boolean): void {
  withIntakeOptions(
    program
      .command('ingest')
      .description('Load records of one source (NDJSON or CSV), resolve them into profiles, and commit.')
      .argument('<files...>', 'NDJSON (.ndjson, .jsonl) or CSV (.csv) files, gzipped (.gz) or not; - for stdin')
      .requiredOption('--source <name>', 'source name, as declared in the rules file')
      .option('--rules <file>', 'rules file (default: IDGRAPH_RULES, else the rules stored with the graph)')
      .option('--store <spec>', 'embedded store folder or neo4j:// URI (default: IDGRAPH_STORE or .idgraph/store)')
      .addOption(
        new Option('--format <format>', 'file format (default: by file extension; NDJSON for stdin)').choices([
          'ndjson',
          'csv',
        ]),
      )
      .option('--batch-size <n>', 'records per commit', parsePositiveInt, DEFAULT_BATCH_SIZE),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  idgraph ingest --rules rules/default.yaml --source crm crm.ndjson\n' +
        '  gunzip -c orders.csv.gz | idgraph ingest --source orders --format csv --max-rejects 1% -\n\n' +
        'Each batch is committed durably before the next is read.\n' +
        INTAKE_HELP,
    )
    .action(async (files: string[], options: IngestOptions) => {
      const started = performance.now();
      const storeSpec = options.store ?? io.env.IDGRAPH_STORE;
      const rejects = await rejectFileFor({ explicit: options.rejects, storeSpec, label: options.source });
      const summary = await withEngine(options, io, async (engine, _store, rules) => {
        if (!rules.file.sources[options.source]) {
          const known = Object.keys(rules.file.sources).join(', ');
          throw new CliError(`unknown source "${options.source}"; the rules declare: ${known}`, 2);
        }
        const inputs = await openInputs(files);
        try {
          checkColumns(
            io,
            rules,
            inputs.map((input) => ({ source: options.source, input })),
            options,
          );
          return await ingestFiles({
            engine,
            source: options.source,
            inputs,
            batchSize: options.batchSize,
            rejects,
            ...(options.format ? { format: options.format } : {}),
            ...(options.progress === false ? {} : { progress: createProgress(io.err, isTty()) }),
          });
        } finally {
          await rejects.close();
          await closeInputs(inputs);
        }
      });
      const seconds = (performance.now() - started) / 1000;
      const rejectsFile = rejects.written;
      if (options.json) io.out(`${JSON.stringify({ ...summary, seconds, rejectsFile: rejectsFile ?? null })}\n`);
      else io.out(formatSummary(summary, seconds, rejectsFile));
      failOnRejects(options.maxRejects, summary, rejectsFile);
    });
}
