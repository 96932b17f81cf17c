/**
 * Rows of one source made ready for the bulk path: prepared (normalized) and packed, with the rows
 * that cannot be records and the count of refused values by reason. Pure, so the worker threads of
 * a first load (ingest/prepare-pool.ts) can run it on batches side by side.
 */

import { type PackedRecord, packRecord } from '../../codec/packed-record.js';
import type { PreparedRecord } from '../../core/resolve/types.js';
import type { LoadedRules } from '../rules/loaded-rules.js';
import { type FieldRefusal, prepareRecord, type RowRejection } from './prepare-record.js';

export interface PreparedBatch {
  readonly packed: PackedRecord[];
  /**
   * Rows that are not records, by their index in the batch: a RowRejection (prepare-record.ts), or
   * for a line that is not JSON (ingest/prepare-lines.ts) the problem reading it names.
   */
  readonly rejected: {
    readonly index: number;
    readonly reason: string;
    readonly field?: string;
    readonly detail?: string;
  }[];
  /** Values normalizing refused (the row stays, without them), as a count by reason. */
  readonly refusedByReason: Record<string, number>;
}

export function prepareBatch(
  rules: LoadedRules,
  source: string,
  rows: readonly unknown[],
  /** YYYY-MM-DD, so dates of birth after it are refused. */
  today: string,
): PreparedBatch {
  const packed: PackedRecord[] = [];
  const refusedByReason: Record<string, number> = {};
  const rejected = prepareEach(
    rules,
    source,
    rows,
    today,
    (record) => packed.push(packRecord(record, rules.compiled)),
    ({ reason }) => {
      refusedByReason[reason] = (refusedByReason[reason] ?? 0) + 1;
    },
  );
  return { packed, rejected, refusedByReason };
}

/**
 * The one loop that prepares rows, for incremental ingest and the bulk path alike: each record goes
 * to `keep`, each value normalizing refused to `refused`; rows that cannot be records come back.
 */
export function prepareEach(
  rules: LoadedRules,
  source: string,
  rows: readonly unknown[],
  today: string,
  keep: (record: PreparedRecord) => void,
  refused: (refusal: FieldRefusal) => void,
): { index: number; reason: RowRejection; field?: string }[] {
  const rejected: { index: number; reason: RowRejection; field?: string }[] = [];
  rows.forEach((row, index) => {
    const outcome = prepareRecord(rules.file, rules.normalizers, source, row, today);
    if (!outcome.ok) {
      rejected.push(
        outcome.field ? { index, reason: outcome.reason, field: outcome.field } : { index, reason: outcome.reason },
      );
      return;
    }
    for (const refusal of outcome.refusals) refused(refusal);
    keep(outcome.record);
  });
  return rejected;
}
