/** The options and summary of the commands that read rows: ingest, load, audience create. */
import type { Command } from 'commander';
import type { IngestSummary } from '../../ingest/ingest-summary.js';
import { parseMaxRejects, REJECTS_EXIT } from '../intake.js';

/** What every command that reads rows from a file takes: rejects, --max-rejects, progress, --json. */
export function withRowReadingOptions(command: Command): Command {
  return command
    .option(
      '--rejects <path>',
      'where rejected rows are listed (default: a new file per run in <store>/rejects/; a folder: a new file in it)',
    )
    .option(
      '--max-rejects <n>',
      `rejected rows allowed before the exit status is ${REJECTS_EXIT}: a count (10) or a share of the rows (1%); default 0`,
      parseMaxRejects,
    )
    .option('--no-progress', 'no progress bar (it is shown on a terminal only)')
    .option('--json', 'print the summary as JSON');
}

/** The row-reading options, and --strict for the commands whose rows are mapped by a source. */
export function withIntakeOptions(command: Command): Command {
  return withRowReadingOptions(command).option(
    '--strict',
    'refuse to read (exit 2) when the columns do not match the source mapping',
  );
}

export const INTAKE_HELP = [
  'Before reading, the columns (a CSV header, the keys of the first 100 NDJSON rows, the columns of a',
  'table or Parquet file) are compared with the source mapping: each mapped field missing and each',
  'unmapped column is named, with the likely intended name; --strict refuses the run instead.',
  'A malformed row (wrong column count, bad quoting, broken JSON, invalid UTF-8) is rejected alone',
  'and reading goes on at the next line. Rejected rows are listed with file and line (table or',
  'Parquet file and row), source, reason code and message (never their content) in',
  'rejects-<time>-<what>.ndjson in <store>/rejects/ (.idgraph/rejects/ for Neo4j) or where --rejects',
  'says; no file is made when nothing is rejected.',
  '',
  'Exit status: 0 when every row was accepted (or the rejects are within --max-rejects);',
  `${REJECTS_EXIT} when more rows were rejected (the accepted ones are committed); 2 for bad arguments,`,
  'unreadable files, a database that cannot be read (refused, unknown table or column, SQL it refuses)',
  'or a --strict column mismatch (nothing committed, or the batches before a failure); 1 for other errors.',
].join('\n');

const n = (value: number) => value.toLocaleString('en-US');

export function formatSummary(summary: IngestSummary, seconds: number, rejectsFile: string | undefined): string {
  // Reason codes can be longer than the label column: they always get a space before their count.
  const byReason = (counts: Record<string, number>) =>
    Object.entries(counts).map(([reason, count]) => `${`  ${reason}`.padEnd(18)} ${n(count)}`);
  const lines = [
    `rows read          ${n(summary.rows)}`,
    `accepted           ${n(summary.accepted)} (${n(summary.unchanged)} unchanged)`,
    `rejected           ${n(summary.rejected)}${rejectsFile ? ` -> ${rejectsFile}` : ''}`,
    ...byReason(summary.rejectedByReason),
    `values refused     ${n(Object.values(summary.refusedValuesByReason).reduce((a, b) => a + b, 0))}`,
    ...byReason(summary.refusedValuesByReason),
    `profiles created   ${n(summary.profilesCreated)}`,
    `merges             ${n(summary.merges)}`,
    `splits             ${n(summary.splits)}`,
    `commits            ${n(summary.commits)}`,
    `time               ${seconds.toFixed(1)} s (${n(Math.round(summary.rows / Math.max(seconds, 0.001)))} rows/s)`,
  ];
  return `${lines.join('\n')}\n`;
}
