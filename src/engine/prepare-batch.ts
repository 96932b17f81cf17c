/**
 * Rows of one source made ready for the bulk path: prepared (normalized) and packed, with the rows
 * that cannot be records and the count of refused values by reason. Pure, so the worker threads of
 * a first load (ingest/prepare-pool.ts) can run it on batches side by side.
 */

import { type PackedRecord, packRecord } from '../core/resolve/packed-record.js';
import type { LoadedRules } from './loaded-rules.js';
import { prepareRecord } from './prepare-record.js';

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
  const batch: PreparedBatch = { packed: [], rejected: [], refusedByReason: {} };
  rows.forEach((row, index) => {
    const outcome = prepareRecord(rules.file, rules.normalizers, source, row, today);
    if (!outcome.ok) {
      batch.rejected.push(
        outcome.field ? { index, reason: outcome.reason, field: outcome.field } : { index, reason: outcome.reason },
      );
      return;
    }
    for (const { reason } of outcome.refusals) {
      batch.refusedByReason[reason] = (batch.refusedByReason[reason] ?? 0) + 1;
    }
    batch.packed.push(packRecord(outcome.record, rules.compiled));
  });
  return batch;
}
