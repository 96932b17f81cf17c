/**
 * Incremental reading of a database source. The source's timestamp column (or --since-column) is
 * the watermark column: a run reads the rows at or after the value remembered for the source, and
 * once they are committed remembers the newest value it read. A run that stops early remembers
 * nothing, so the next one reads those rows again (rows already in with the same content are
 * found unchanged and not committed again); nothing is skipped.
 *
 * A watermark belongs to one origin (a table or query of a database, database-url.ts) and column:
 * the same source read from elsewhere is read in full, and its new watermark replaces the old.
 */
import type { SourceState, SourceStates } from '../store/graph-store.js';
import { type Intake, isTable } from './table-source.js';

export interface WatermarkStart {
  /** The value to read from; undefined reads every row. */
  readonly since: string | undefined;
  /** Why a remembered watermark is not used, when one is not. */
  readonly note?: string;
}

export async function watermarkStart(
  states: Pick<SourceStates, 'sourceState'>,
  source: string,
  origin: string,
  column: string,
): Promise<WatermarkStart> {
  const remembered = await states.sourceState(source);
  if (!remembered) return { since: undefined };
  if (remembered.origin === origin && remembered.column === column) return { since: remembered.watermark };
  const was = remembered.origin === origin ? `column ${remembered.column}` : remembered.origin;
  return {
    since: undefined,
    note: `the watermark of source ${source} is for ${was}, not this read: every row is read, and its watermark replaces that one`,
  };
}

/**
 * After the rows are committed: each database read's newest value becomes its source's watermark.
 * A read that found no row with a value keeps the watermark it started from.
 */
export async function rememberWatermarks(
  states: Pick<SourceStates, 'rememberSourceState'>,
  reads: readonly { readonly source: string; readonly intake: Intake }[],
  at: string,
): Promise<SourceState[]> {
  const remembered: SourceState[] = [];
  for (const { source, intake } of reads) {
    if (!isTable(intake) || !intake.watermark || intake.watermark.newest === undefined) continue;
    const { origin, column, newest } = intake.watermark;
    const state = { source, origin, column, watermark: newest, at };
    await states.rememberSourceState(state);
    remembered.push(state);
  }
  return remembered;
}
