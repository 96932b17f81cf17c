/**
 * What ingest, load and audience create share about their inputs: opening them (`-` is stdin,
 * `.gz` is decompressed, `.parquet` and database tables read as rows), checking their columns against the rules before anything is committed,
 * and the exit status when rows were rejected (REJECTS_EXIT unless --max-rejects allows them).
 */
import { InvalidArgumentError } from 'commander';
import { compareColumns } from '../core/rules/source-columns.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import { type Input, InputError, openInput, requireStdinOnce } from '../ingest/input.js';
import { inputColumns, SAMPLE_ROWS } from '../ingest/input-columns.js';
import { type OpenIntakeOptions, openIntake } from '../ingest/open-intake.js';
import { type FileFormat, formatOf } from '../ingest/read-rows.js';
import { type Intake, isTable } from '../ingest/table-source.js';
import { CliError, type CliIo } from './io.js';

/** The exit status of a run that committed its good rows but rejected more than --max-rejects allows. */
export const REJECTS_EXIT = 3;

export type RejectLimit = { readonly count: number } | { readonly percent: number };

/** `--max-rejects`: a count of rows (`10`) or a share of the rows read (`1%`, `0.5%`). */
export function parseMaxRejects(value: string): RejectLimit {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
  if (percent) {
    const share = Number(percent[1]);
    if (share > 100) throw new InvalidArgumentError('a percentage must be 100% or less');
    return { percent: share };
  }
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(count)) {
    throw new InvalidArgumentError('must be a count of rows (10) or a percentage of the rows read (1%)');
  }
  return { count };
}

export function withinLimit(limit: RejectLimit | undefined, rejected: number, rows: number): boolean {
  if (rejected === 0) return true;
  if (!limit) return false;
  return 'count' in limit ? rejected <= limit.count : rejected * 100 <= limit.percent * rows;
}

/** After the summary is printed: a run that rejected more rows than allowed ends with REJECTS_EXIT. */
export function failOnRejects(
  limit: RejectLimit | undefined,
  counts: { readonly rejected: number; readonly rows: number },
  rejectsFile: string | undefined,
): void {
  if (withinLimit(limit, counts.rejected, counts.rows)) return;
  const allowed = !limit
    ? 'none allowed'
    : 'count' in limit
      ? `--max-rejects ${limit.count}`
      : `--max-rejects ${limit.percent}%`;
  throw new CliError(
    `${counts.rejected.toLocaleString('en-US')} of ${counts.rows.toLocaleString('en-US')} rows rejected (${allowed})` +
      `${rejectsFile ? `, listed in ${rejectsFile}` : ''}; the accepted rows are committed`,
    REJECTS_EXIT,
  );
}

/** Opens every input before any is read, so a missing file stops the run before a row is committed. */
export async function openInputs(paths: readonly string[]): Promise<Input[]> {
  const opened: Input[] = [];
  try {
    requireStdinOnce(paths);
    for (const path of paths) opened.push(await openInput(path));
    return opened;
  } catch (error) {
    await Promise.all(opened.map((input) => input.close()));
    if (error instanceof InputError) throw new CliError(error.message, 2);
    throw error;
  }
}

/**
 * Opens every input of ingest or load (files, stdin, Parquet files, database tables) before any is
 * read. A database that cannot be read is an InputError with its code (exit 2).
 */
export async function openIntakes(
  specs: readonly { readonly spec: string; readonly options?: OpenIntakeOptions }[],
): Promise<Intake[]> {
  const opened: Intake[] = [];
  try {
    requireStdinOnce(specs.map(({ spec }) => spec));
    for (const { spec, options } of specs) opened.push(await openIntake(spec, options));
    return opened;
  } catch (error) {
    await closeInputs(opened);
    if (error instanceof InputError && INPUT_FILE_ERRORS.has(error.code)) throw new CliError(error.message, 2);
    throw error;
  }
}

/** Failures to open a file, told as openInputs tells them; a database's keep their code. */
const INPUT_FILE_ERRORS = new Set(['INPUT_UNREADABLE', 'GZIP_INVALID', 'STDIN_TWICE']);

/** Ends every input, read or not (a run that stopped early leaves none open). */
export async function closeInputs(inputs: readonly Intake[]): Promise<void> {
  await Promise.all(inputs.map((input) => input.close()));
}

/**
 * Warns of each mapped field an input lacks and each column no mapping reads, with the likely
 * intended name; under --strict, refuses the run (exit 2) before anything is committed.
 */
export function checkColumns(
  io: CliIo,
  rules: LoadedRules,
  checks: readonly { readonly source: string; readonly input: Intake }[],
  options: { readonly format?: FileFormat | undefined; readonly strict?: boolean | undefined },
): void {
  let problems = 0;
  for (const { source, input } of checks) {
    const config = rules.file.sources[source];
    if (!config) continue;
    const format = formatOf(input.path, options.format);
    const columns = isTable(input) ? [...input.columns] : inputColumns(input, format);
    if (!columns) continue;
    const absent = isTable(input)
      ? `is not a column of ${input.name}`
      : format === 'csv'
        ? 'is not in the header'
        : `is in none of the first ${SAMPLE_ROWS} rows`;
    const findings = compareColumns(columns, config);
    const hint = (name: string | undefined) => (name ? ` (did you mean "${name}"?)` : '');
    for (const { field, didYouMean } of findings.missing) {
      problems++;
      io.err(
        `${options.strict ? 'error' : 'warning'}: ${input.name}: field "${field}" mapped by source ${source} ${absent}${hint(didYouMean)}\n`,
      );
    }
    // A table's watermark column is read for the watermark, even when no mapping reads it.
    const watermark = isTable(input) ? input.watermark?.column : undefined;
    for (const { column, didYouMean } of findings.unmapped.filter(({ column }) => column !== watermark)) {
      problems++;
      io.err(
        `${options.strict ? 'error' : 'warning'}: ${input.name}: column "${column}" is not mapped by source ${source}, its values are ignored${hint(didYouMean)}\n`,
      );
    }
  }
  if (options.strict && problems > 0) {
    throw new CliError(`--strict: the columns do not match the rules (${problems} problem(s)); nothing was read`, 2);
  }
}
