/**
 * What an ingest or a load reports: rows read, accepted, rejected by reason (each rejected row
 * listed in the rejects file with its place, never its content), values refused by reason, and
 * what resolution did.
 */
import { type RejectFile, type RowPlace, rejectMessage } from './reject-file.js';

/** How far reading has come; `bytes` of `totalBytes` when the size of the inputs is known. */
export interface ReadProgress {
  readonly file: string;
  readonly rows: number;
  readonly bytes?: number;
  readonly totalBytes?: number;
}

export interface IngestProgress {
  update(done: ReadProgress): void;
  finish(): void;
}

export interface IngestSummary {
  rows: number;
  accepted: number;
  unchanged: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  refusedValuesByReason: Record<string, number>;
  profilesCreated: number;
  merges: number;
  splits: number;
  commits: number;
}

export function emptySummary(): IngestSummary {
  return {
    rows: 0,
    accepted: 0,
    unchanged: 0,
    rejected: 0,
    rejectedByReason: {},
    refusedValuesByReason: {},
    profilesCreated: 0,
    merges: 0,
    splits: 0,
    commits: 0,
  };
}

/** Counts a rejected row and lists it in the rejects file (place and reason, never content). */
export async function rejectRow(
  summary: IngestSummary,
  rejects: RejectFile,
  rejection: {
    file: string;
    source: string;
    /** The line, or for `place: 'row'` the row's ordinal. */
    line: number;
    place?: RowPlace | undefined;
    reason: string;
    field?: string | undefined;
    detail?: string | undefined;
  },
): Promise<void> {
  summary.rejected++;
  summary.rejectedByReason[rejection.reason] = (summary.rejectedByReason[rejection.reason] ?? 0) + 1;
  await rejects.write({
    file: rejection.file,
    ...(rejection.place === 'row' ? { row: rejection.line } : { line: rejection.line }),
    source: rejection.source,
    code: rejection.reason,
    message: rejectMessage(rejection.reason, rejection.detail),
    ...(rejection.field ? { field: rejection.field } : {}),
  });
}

/**
 * Counts what normalizing a batch refused: values (the row stays, without them) by reason, and
 * rows that cannot be records (no key) into the rejects file with their line.
 */
export async function countRefused(
  summary: IngestSummary,
  rejects: RejectFile,
  place: { readonly file: string; readonly source: string; readonly place?: RowPlace | undefined },
  outcome: {
    readonly refusedByReason: Readonly<Record<string, number>>;
    readonly rejected: readonly {
      readonly line: number;
      readonly reason: string;
      readonly field?: string;
      readonly detail?: string;
    }[];
  },
): Promise<void> {
  for (const [reason, count] of Object.entries(outcome.refusedByReason)) {
    summary.refusedValuesByReason[reason] = (summary.refusedValuesByReason[reason] ?? 0) + count;
  }
  for (const rejection of outcome.rejected) await rejectRow(summary, rejects, { ...rejection, ...place });
}

/** Rejections told by index in a batch, told by line instead. */
export function byLine<Rejection extends { readonly index: number }>(
  rejected: readonly Rejection[],
  lines: readonly number[],
): (Omit<Rejection, 'index'> & { line: number })[] {
  return rejected.map(({ index, ...rejection }) => ({ ...rejection, line: lines[index] ?? 0 }));
}

/** Refused values as a count by reason. */
export function countByReason(refusals: readonly { readonly reason: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { reason } of refusals) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}
