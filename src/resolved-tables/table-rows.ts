/**
 * A batch of resolved profiles as the rows of each table, in the tables' column order: what every
 * destination writes, each in its own bulk way. Times are epoch milliseconds, absent values null.
 */
import type { ResolvedBatch } from '../queries/resolved-changes.js';
import type { TableLayout } from './table-layout.js';

export type Value = string | number | boolean | null;
export type Row = readonly Value[];

export interface TableRows {
  readonly resolved: readonly Row[];
  readonly identifiers: readonly Row[];
  readonly profiles: readonly Row[];
  readonly redirects: readonly Row[];
  /** Every profile ID of the batch, live, merged away or removed: the rows the tables held for them go. */
  readonly touched: readonly string[];
  /** IDs that lead to no live profile any more: redirects into them go too. */
  readonly removed: readonly string[];
}

export function tableRows(batch: ResolvedBatch, layout: Pick<TableLayout, 'attributes'>, at: number): TableRows {
  const resolved: Row[] = [];
  const identifiers: Row[] = [];
  const profiles: Row[] = [];
  for (const profile of batch.profiles) {
    const id = profile.profileId;
    for (const record of profile.records) resolved.push([record.source, record.recordId, id, at]);
    for (const identifier of profile.identifiers) {
      identifiers.push([
        id,
        identifier.type,
        identifier.value,
        identifier.records,
        identifier.firstSeen ?? null,
        identifier.lastSeen ?? null,
        at,
      ]);
    }
    profiles.push([
      id,
      ...layout.attributes.map((name) => profile.attributes[name] ?? null),
      profile.records.length,
      at,
    ]);
  }
  return {
    resolved,
    identifiers,
    profiles,
    redirects: batch.redirects.map((redirect) => [redirect.oldProfileId, redirect.profileId, at]),
    touched: [
      ...batch.profiles.map((profile) => profile.profileId),
      ...batch.redirects.map((redirect) => redirect.oldProfileId),
      ...batch.removed,
    ],
    removed: batch.removed,
  };
}
