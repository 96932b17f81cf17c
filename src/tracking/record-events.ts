/**
 * Records events' rows under one source, resolved at once as the batch ingest route does, in one
 * commit; then each alias as a force-link between the record of its `userId` and a record of its
 * `previousId`, decided by the source.
 *
 * An event becomes a record keyed by its messageId, unless it says nothing new: a page view of a
 * signed-in person carries the same identifiers and attributes as the last thousand. Such an event
 * moves the time of the record that already says it (when it is an hour newer or more) instead of
 * adding a record: a busy person's profile stays at a record per distinct set of identifiers and
 * traits, well under the rules' `max_profile_records`, which would otherwise split off their later
 * events.
 *
 * Retries change nothing, as Segment deduplicates on messageId: an event whose record is there is
 * not recorded again, one that moved a record's time finds it moved, and an alias's link already
 * stands (linking again is a no-op).
 */
import { recordRef } from '../core/resolve/types.js';
import type { Engine } from '../engine/engine.js';
import { countByReason } from '../ingest/ingest-summary.js';
import { lookupIdentifiers } from '../queries/lookup.js';
import type { ReadSide } from '../queries/read-side.js';
import { identifierKeys, identitySignature } from './identity-signature.js';
import type { EventRow } from './segment-row.js';

/** The record of an alias's `previousId`: the alias's messageId with this after it. */
export const PREVIOUS_ID_SUFFIX = '#previousId';
/**
 * How much newer than its record an event must be to move the record's time on. Each move is a
 * commit re-resolving the person's profile; an hour is fine enough for "seen in the last N days"
 * and for survivorship by recency, and spares a commit per page view.
 */
export const REFRESH_AFTER_MS = 60 * 60 * 1000;
/** Columns of the built-in mapping an alias's previousId may be: whichever it has been seen as. */
const ID_COLUMNS = ['userId', 'anonymousId'] as const;

export interface TrackingDeps {
  readonly engine: Pick<Engine, 'ingest' | 'link' | 'prepareRows'>;
  readonly read: () => ReadSide;
}

export interface RecordSummary {
  /** Records added. */
  readonly added: number;
  /** Records whose time an event with the same identifiers and attributes, an hour newer or more, moved on. */
  readonly refreshed: number;
  /**
   * Events that changed no record: retried deliveries, repeats of a messageId, and events whose
   * identity another event of the group or an older record already says.
   */
  readonly unchanged: number;
  /** Aliases that linked their two records by a new decision. */
  readonly linked: number;
  /** Events not recorded, by reason: NO_USABLE_ID when the rules kept no identifier of theirs. */
  readonly rejected: Readonly<Record<string, number>>;
  /** Values the rules' normalizers refused, by reason: the events were recorded without them. */
  readonly refusedValues: Readonly<Record<string, number>>;
  readonly profilesCreated: number;
  readonly merges: number;
}

interface Identity {
  readonly signature: string;
  readonly keys: readonly string[];
  /** The row recorded for the identity: the first event's key, the newest event's content. */
  row: Readonly<Record<string, unknown>>;
  key: string;
  ts: number;
  readonly messageIds: string[];
}

export async function recordRows(
  deps: TrackingDeps,
  source: string,
  rows: readonly EventRow[],
): Promise<RecordSummary> {
  const rejected: { reason: string }[] = [];
  const refusals: { reason: string }[] = [];
  const counts = { added: 0, refreshed: 0, unchanged: 0, linked: 0, profilesCreated: 0, merges: 0 };
  const actor = `source:${source}`;
  const ref = (key: string) => recordRef(source, key);
  const { store } = deps.read();

  const unique = firstOfEachMessageId(rows);
  const stored = await store.getRecords(unique.map(({ messageId }) => ref(messageId)));
  const fresh = unique.filter(({ messageId }) => !stored.has(ref(messageId)));
  counts.unchanged += rows.length - fresh.length;
  /** The record each event's messageId is represented by: its own, or the one with its identity. */
  const recordOf = new Map<string, string>(
    unique.filter(({ messageId }) => stored.has(ref(messageId))).map(({ messageId }) => [messageId, ref(messageId)]),
  );

  const prepared = deps.engine.prepareRows(
    source,
    fresh.map(({ row }) => row),
  );
  for (const rejection of prepared.rejected) rejected.push({ reason: rejection.reason });
  refusals.push(...prepared.refusals);
  const identities = new Map<string, Identity>();
  for (const { messageId, row } of fresh) {
    const record = prepared.prepared.get(ref(messageId));
    if (!record) continue;
    if (record.identifiers.length === 0) {
      rejected.push({ reason: 'NO_USABLE_ID' });
      continue;
    }
    const signature = identitySignature(record);
    const identity = identities.get(signature);
    if (!identity) {
      identities.set(signature, {
        signature,
        keys: identifierKeys(record),
        row,
        key: messageId,
        ts: record.ts,
        messageIds: [messageId],
      });
    } else {
      identity.messageIds.push(messageId);
      if (record.ts > identity.ts) Object.assign(identity, { row, ts: record.ts });
    }
  }

  // Identities a record of this source already holds: that record is refreshed, not added to.
  const known = await recordsWithIdentity(store, source, [...identities.values()]);
  const toIngest: Readonly<Record<string, unknown>>[] = [];
  for (const identity of identities.values()) {
    const existing = known.get(identity.signature);
    const key = existing?.recordId ?? identity.key;
    for (const messageId of identity.messageIds) recordOf.set(messageId, ref(key));
    // One event per identity changes a record; the others are said by it.
    counts.unchanged += identity.messageIds.length - 1;
    if (existing && identity.ts < existing.ts + REFRESH_AFTER_MS) counts.unchanged++;
    else {
      toIngest.push({ ...identity.row, messageId: key });
      if (existing) counts.refreshed++;
      else counts.added++;
    }
  }
  if (toIngest.length > 0) {
    const result = await deps.engine.ingest(source, toIngest, actor);
    for (const rejection of result.rejected) rejected.push({ reason: rejection.reason });
    counts.profilesCreated += result.profilesCreated;
    counts.merges += result.merges;
  }

  // Aliases repeated are linked again too (a no-op once linked), in case the first delivery failed
  // between recording the records and linking them.
  const aliases = unique.filter(
    (row): row is EventRow & { previousId: string } => row.previousId !== undefined && recordOf.has(row.messageId),
  );
  if (aliases.length > 0) {
    const previousRef = ({ messageId }: { messageId: string }) => ref(`${messageId}${PREVIOUS_ID_SUFFIX}`);
    const held = await store.getRecords(aliases.map(previousRef));
    const missing = aliases.filter((alias) => !held.has(previousRef(alias)));
    const previous = await previousRows(deps.read(), source, missing);
    if (previous.length > 0) {
      const result = await deps.engine.ingest(source, previous, actor);
      counts.profilesCreated += result.profilesCreated;
      counts.merges += result.merges;
    }
    for (const alias of aliases) {
      const summary = await deps.engine.link(previousRef(alias), recordOf.get(alias.messageId) as string, {
        actor,
        note: 'Segment alias',
      });
      if (summary.commit !== undefined) {
        counts.linked++;
        counts.merges += summary.merges;
      }
    }
  }
  return { ...counts, rejected: countByReason(rejected), refusedValues: countByReason(refusals) };
}

/** The first row of each messageId, in order: calls grouped into one commit may repeat each other. */
function firstOfEachMessageId(rows: readonly EventRow[]): EventRow[] {
  const seen = new Set<string>();
  const first: EventRow[] = [];
  for (const row of rows) {
    if (seen.has(row.messageId)) continue;
    seen.add(row.messageId);
    first.push(row);
  }
  return first;
}

/**
 * For each identity, a record of the source with exactly its identifiers and attributes, if the
 * store holds one: among the records holding all its identifiers, the one that says the same.
 */
async function recordsWithIdentity(
  store: ReadSide['store'],
  source: string,
  identities: readonly Identity[],
): Promise<Map<string, { ref: string; recordId: string; ts: number }>> {
  const holders = await store.holdersOf([...new Set(identities.flatMap(({ keys }) => keys))]);
  const prefix = `${source}:`;
  const candidates = new Map<string, string[]>();
  for (const identity of identities) {
    const [first, ...rest] = identity.keys.map((key) => holders.get(key) ?? []);
    const others = rest.map((refs) => new Set(refs));
    const holding = (first ?? []).filter(
      (candidate) => candidate.startsWith(prefix) && others.every((refs) => refs.has(candidate)),
    );
    if (holding.length > 0) candidates.set(identity.signature, holding);
  }
  const records = await store.getRecords([...new Set([...candidates.values()].flat())]);
  const found = new Map<string, { ref: string; recordId: string; ts: number }>();
  for (const [signature, refs] of candidates) {
    for (const candidate of refs) {
      const record = records.get(candidate);
      if (record && identitySignature(record) === signature) {
        found.set(signature, { ref: candidate, recordId: record.recordId, ts: record.ts });
        break;
      }
    }
  }
  return found;
}

/**
 * The records of the aliases' previous IDs. A previous ID is a user ID or an anonymous ID the person
 * was seen with; it goes in the column(s) of the built-in mapping it is already held as, so it joins
 * those records; an ID never seen goes in both, so whichever way it turns up later, it joins.
 */
async function previousRows(
  read: ReadSide,
  source: string,
  aliases: readonly (EventRow & { previousId: string })[],
): Promise<Record<string, unknown>[]> {
  if (aliases.length === 0) return [];
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
