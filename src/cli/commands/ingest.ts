import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { DEFAULT_BATCH_SIZE, ingestFiles } from '../../ingest/ingest-files.js';
import type { IngestSummary } from '../../ingest/ingest-summary.js';
import type { FileFormat } from '../../ingest/read-rows.js';
import { RejectFile } from '../../ingest/reject-file.js';
import { withEngine } from '../engine-session.js';
import { CliError, type CliIo } from '../io.js';
import { parsePositiveInt } from '../options.js';
import { createProgress } from '../progress.js';

interface IngestOptions {
  rules?: string;
  store?: string;
  source: string;
  format?: FileFormat;
  batchSize: number;
  rejects: string;
  json?: boolean;
  progress?: boolean;
}

export function registerIngestCommand(program: Command, io: CliIo, isTty: () => boolean): void {
  program
    .command('ingest')
    .description('Load records of one source (NDJSON or CSV), resolve them into profiles, and commit.')
    .argument('<files...>', 'NDJSON (.ndjson, .jsonl) or CSV (.csv) files')
    .requiredOption('--source <name>', 'source name, as declared in the rules file')
    .option('--rules <file>', 'rules file (default: IDGRAPH_RULES, else the rules stored with the graph)')
    .option('--store <spec>', 'embedded store folder or neo4j:// URI (default: IDGRAPH_STORE or .idgraph/store)')
    .addOption(new Option('--format <format>', 'file format (default: by file extension)').choices(['ndjson', 'csv']))
    .option('--batch-size <n>', 'records per commit', parsePositiveInt, DEFAULT_BATCH_SIZE)
    .option('--rejects <file>', 'where rejected rows are listed (file, line, reason)', 'rejects.ndjson')
    .option('--no-progress', 'no progress output')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  idgraph ingest --rules rules/default.yaml --source crm crm.ndjson\n\n' +
        'Each batch is committed durably before the next is read; rows that cannot be read go to the\n' +
        'rejects file with their line number and reason, and the run goes on.',
    )
    .action(async (files: string[], options: IngestOptions) => {
      const started = performance.now();
      const rejects = new RejectFile(options.rejects);
      const summary = await withEngine(options, io, async (engine, _store, rules) => {
        if (!rules.file.sources[options.source]) {
          const known = Object.keys(rules.file.sources).join(', ');
          throw new CliError(`unknown source "${options.source}"; the rules declare: ${known}`, 2);
        }
        await requireReadable(files);

        try {
          return await ingestFiles({
            engine,
            source: options.source,
            files,
            batchSize: options.batchSize,
            rejects,
            ...(options.format ? { format: options.format } : {}),
            ...(options.progress === false ? {} : { progress: createProgress(io.err, isTty()) }),
          });
        } finally {
          await rejects.close();
        }
      });
      const seconds = (performance.now() - started) / 1000;
      if (options.json)
        io.out(
          `${JSON.stringify({ ...summary, seconds, rejectsFile: summary.rejected > 0 ? options.rejects : null })}\n`,
        );
      else io.out(formatSummary(summary, seconds, options.rejects));
    });
}

export function formatSummary(summary: IngestSummary, seconds: number, rejectsPath: string): string {
  const lines = [
    `rows read          ${summary.rows}`,
    `accepted           ${summary.accepted} (${summary.unchanged} unchanged)`,
    `rejected           ${summary.rejected}${summary.rejected > 0 ? ` -> ${rejectsPath}` : ''}`,
    ...Object.entries(summary.rejectedByReason).map(([reason, count]) => `  ${reason.padEnd(17)}${count}`),
    `values refused     ${Object.values(summary.refusedValuesByReason).reduce((a, b) => a + b, 0)}`,
    ...Object.entries(summary.refusedValuesByReason).map(([reason, count]) => `  ${reason.padEnd(17)}${count}`),
    `profiles created   ${summary.profilesCreated}`,
    `merges             ${summary.merges}`,
    `splits             ${summary.splits}`,
    `commits            ${summary.commits}`,
    `time               ${seconds.toFixed(1)} s (${Math.round(summary.rows / Math.max(seconds, 0.001))} rows/s)`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Every file must be readable before the first row is committed. */
export async function requireReadable(files: readonly string[]): Promise<void> {
  for (const file of files) {
    await access(file, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read ${file}: ${error.code ?? 'error'}`, 2);
    });
  }
}
