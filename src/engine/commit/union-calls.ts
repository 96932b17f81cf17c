/**
 * The records of ingest calls written as one commit (group commit): each call's prepared records,
 * unioned in the order the calls arrived. When two calls carry the same (source, key), the later
 * call's version is the one written, as it would be had the calls committed one after the other,
 * and both calls are told (each result lists the record as contested).
 */
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';

export interface UnionedCalls {
  /** Every call's records, one version of each: the latest call's. */
  readonly records: Map<RecordRef, PreparedRecord>;
  /** Per call, in call order: its records another call of the group also carried. */
  readonly contested: readonly RecordRef[][];
}

export function unionCalls(calls: readonly ReadonlyMap<RecordRef, PreparedRecord>[]): UnionedCalls {
  const records = new Map<RecordRef, PreparedRecord>();
  const carriedBy = new Map<RecordRef, number>();
  const contested = calls.map((): RecordRef[] => []);
  calls.forEach((prepared, index) => {
    for (const [ref, record] of prepared) {
      const earlier = carriedBy.get(ref);
      if (earlier !== undefined) {
        // Told once per call, however many calls of the group carried it.
        if (!contested[earlier]?.includes(ref)) contested[earlier]?.push(ref);
        contested[index]?.push(ref);
      }
      records.set(ref, record);
      carriedBy.set(ref, index);
    }
  });
  return { records, contested };
}
