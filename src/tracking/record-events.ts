/**
 * Records a tracking call's events under one source, resolved at once as the batch ingest route
 * does: the events' rows in one commit, then each alias as a force-link between the record of its
 * `userId` and a record of its `previousId`, decided by the source. A retried delivery (same
 * messageIds) changes nothing: its records are unchanged and its links already stand.
 */

import { recordRef } from '../core/resolve/types.js';
import type { Engine } from '../engine/engine.js';
import { countByReason } from '../ingest/ingest-summary.js';
import { lookupIdentifiers } from '../queries/lookup.js';
import type { ReadSide } from '../queries/read-side.js';
import type { CallEvent } from './segment-call.js';
import { segmentRow } from './segment-row.js';
import type { RejectedEvent } from './segment-spec.js';

/** The record of an alias's `previousId`: the alias's messageId with this after it. */
export const PREVIOUS_ID_SUFFIX = '#previousId';
/** Columns of the built-in mapping an alias's previousId may be: whichever it has been seen as. */
const ID_COLUMNS = ['userId', 'anonymousId'] as const;

export interface TrackingDeps {
  readonly engine: Pick<Engine, 'ingest' | 'link'>;
  readonly read: () => ReadSide;
}

export interface TrackingSummary {
  readonly events: number;
  /** Records added or changed. */
  readonly recorded: number;
  /** Events whose record was already there (retried deliveries): not recorded again. */
  readonly unchanged: number;
  /** Aliases that linked two profiles by a new decision. */
  readonly linked: number;
  /** Events not recorded, by reason (and the positions of those over the size limit). */
  readonly rejected: Readonly<Record<string, number>>;
  readonly tooLarge: readonly number[];
  /** Values the rules' normalizers refused, by reason (the events were recorded without them). */
  readonly refusedValues: Readonly<Record<string, number>>;
  readonly profilesCreated: number;
  readonly merges: number;
}

export async function recordEvents(
  deps: TrackingDeps,
  source: string,
  events: readonly CallEvent[],
  rejectedBefore: readonly RejectedEvent[],
  receivedAt: string,
): Promise<TrackingSummary> {
  const rejected: { reason: string }[] = [...rejectedBefore];
  const refusals: { reason: string }[] = [];
  const counts = { recorded: 0, unchanged: 0, linked: 0, profilesCreated: 0, merges: 0 };
  const actor = `source:${source}`;
  const ingest = async (rows: readonly Readonly<Record<string, unknown>>[]): Promise<Set<number>> => {
    if (rows.length === 0) return new Set();
    const result = await deps.engine.ingest(source, rows, actor);
    refusals.push(...result.refusals);
    for (const rejection of result.rejected) rejected.push({ reason: rejection.reason });
    counts.recorded += result.accepted - result.unchanged;
    counts.unchanged += result.unchanged;
    counts.profilesCreated += result.profilesCreated;
    counts.merges += result.merges;
    return new Set(result.rejected.map(({ index }) => index));
  };

  const rows = rowsOf(events, receivedAt, rejected);
  // Segment deduplicates on messageId: an event whose record is already there is a retry, even
  // when what it carries differs (a later receivedAt); it is not recorded again.
  const stored = await deps.read().store.getRecords(rows.map(({ messageId }) => recordRef(source, messageId)));
  const fresh = rows.filter(({ messageId }) => !stored.has(recordRef(source, messageId)));
  counts.unchanged += rows.length - fresh.length;
  const refused = await ingest(fresh.map(({ row }) => row));

  // Aliases retried are linked again too (a no-op once linked), in case the first delivery failed
  // between recording the records and linking them.
  const aliases = rows.filter(
    (row): row is (typeof rows)[number] & { previousId: string } =>
      row.previousId !== undefined && !refused.has(fresh.indexOf(row)),
  );
  if (aliases.length > 0) {
    const previousRef = ({ messageId }: { messageId: string }) =>
      recordRef(source, `${messageId}${PREVIOUS_ID_SUFFIX}`);
    const held = await deps.read().store.getRecords(aliases.map(previousRef));
    const missing = aliases.filter((alias) => !held.has(previousRef(alias)));
    const notAdded = await ingest(await previousRows(deps.read(), source, missing));
    for (const alias of aliases) {
      if (notAdded.has(missing.indexOf(alias))) continue;
      const summary = await deps.engine.link(previousRef(alias), recordRef(source, alias.messageId), {
        actor,
        note: 'Segment alias',
      });
      if (summary.commit !== undefined) {
        counts.linked++;
        counts.merges += summary.merges;
      }
    }
  }
  return {
    events: events.length + rejectedBefore.length,
    ...counts,
    rejected: countByReason(rejected),
    tooLarge: rejectedBefore.filter((rejection) => rejection.reason === 'EVENT_TOO_LARGE').map(({ index }) => index),
    refusedValues: countByReason(refusals),
  };
}

/** The rows of the events the spec allows, the first of each messageId; the others join `rejected`. */
function rowsOf(
  events: readonly CallEvent[],
  receivedAt: string,
  rejected: { reason: string }[],
): { messageId: string; row: Readonly<Record<string, unknown>>; previousId?: string }[] {
  const rows: { messageId: string; row: Readonly<Record<string, unknown>>; previousId?: string }[] = [];
  const seen = new Set<string>();
  for (const { type, event } of events) {
    const outcome = segmentRow(type, event, receivedAt);
    if (!outcome.ok) rejected.push({ reason: outcome.reason });
    // Segment keeps the first of two events with one messageId: a later one is a repeat.
    else if (seen.has(outcome.messageId)) rejected.push({ reason: 'DUPLICATE_MESSAGE_ID' });
    else {
      seen.add(outcome.messageId);
      rows.push(outcome);
    }
  }
  return rows;
}

/**
 * The records of the aliases' previous IDs. A previous ID is a user ID or an anonymous ID the person
 * was seen with; it goes in the column(s) of the built-in mapping it is already held as, so it joins
 * those records; an ID never seen goes in both, so whichever way it turns up later, it joins.
 */
async function previousRows(
  read: ReadSide,
  source: string,
  aliases: readonly { messageId: string; previousId: string; row: Readonly<Record<string, unknown>> }[],
): Promise<Record<string, unknown>[]> {
  const mapped = read.rules.file.sources[source]?.fields ?? {};
  const typed = ID_COLUMNS.flatMap((column) => {
    const type = mapped[column];
    return type && read.rules.file.identifiers[type] ? [{ column, type }] : [];
  });
  const answers = await lookupIdentifiers(
    read.store,
    read.rules,
    aliases.flatMap(({ previousId }) => typed.map(({ type }) => ({ type, value: previousId }))),
  );
  return aliases.map(({ messageId, previousId, row: { timestamp } }, position) => {
    const held = typed.filter((_, at) => answers[position * typed.length + at]?.answer !== undefined);
    const row: Record<string, unknown> = { type: 'alias', messageId: `${messageId}${PREVIOUS_ID_SUFFIX}`, timestamp };
    for (const { column } of held.length > 0 ? held : typed) row[column] = previousId;
    return row;
  });
}
