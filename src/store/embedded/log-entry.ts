/**
 * How a ChangeSet is kept by the embedded store: records and profiles as JSON strings (one string
 * in memory costs far less than the object tree it encodes, and is parsed only when read), events
 * in their own file with only their place recorded here.
 */

import { encodeRecord } from '../../codec/record-codec.js';
import { blockHash } from '../../core/resolve/block-hash.js';
import { identifierKey } from '../../core/resolve/types.js';
import type { ReviewChange } from '../../core/review/review-item.js';
import type { ChangeSet, DecisionEntry, RetiredProfile } from '../graph-store.js';
import type { LineCodec } from './write-ahead-log.js';

export interface LoggedRecord {
  readonly ref: string;
  /** Identifier keys the record holds, for the holders index. */
  readonly ids: readonly string[];
  /** Blocking keys as hashes (see block-hash.ts). */
  readonly blocks: readonly number[];
  /** The PreparedRecord in the compact form of record-codec.ts. */
  readonly json: string;
}

export interface LoggedProfile {
  readonly id: string;
  readonly records: readonly string[];
  /** The StoredProfile as JSON. */
  readonly json: string;
}

/** Where an event lives in the events file, and which profiles it concerns. */
export interface LoggedEvent {
  readonly offset: number;
  readonly length: number;
  readonly profiles: readonly string[];
}

export interface LogEntry {
  readonly commit: number;
  readonly at: string;
  readonly upserts: readonly LoggedRecord[];
  /** Block keys records had before this commit changed them (so the index can drop them). */
  readonly staleBlocks: readonly { readonly ref: string; readonly keys: readonly number[] }[];
  readonly removals: readonly string[];
  /** Records erased for a privacy request: the store scrubs them from its files after this commit. */
  readonly erased?: readonly string[];
  readonly profiles: readonly LoggedProfile[];
  readonly retired: readonly RetiredProfile[];
  readonly shared: readonly { readonly identifier: string; readonly shared: boolean }[];
  readonly decisionsAdded: readonly DecisionEntry[];
  readonly decisionsRemoved: readonly string[];
  /** Review items written and removed (absent when the commit changed none). */
  readonly review?: ReviewChange;
  readonly events: readonly LoggedEvent[];
  /** Byte length of the events file once this commit's events are in it. */
  readonly eventsEnd: number;
  readonly rules?: { readonly version: string; readonly text: string };
  /** From the bulk path (ChangeSet.firstLoad): records and profiles are all new, nothing to replace. */
  readonly firstLoad?: true;
}

export function toLogEntry(change: ChangeSet, events: readonly LoggedEvent[], eventsEnd: number): LogEntry {
  return {
    commit: change.commit,
    at: change.at,
    // `record` and `blockKeys` are read only without a packed form: they may decode on demand.
    upserts: change.upserts.map((staged) => {
      const { packed } = staged;
      if (packed)
        return { ref: packed.ref, ids: packed.identifierKeys, blocks: packed.blockHashes, json: packed.encoded };
      const { record } = staged;
      return {
        ref: record.ref,
        ids: record.identifiers.map((identifier) => identifierKey(identifier.type, identifier.key)),
        blocks: staged.blockKeys.map(blockHash),
        json: encodeRecord(record),
      };
    }),
    staleBlocks: (change.staleBlockKeys ?? []).map(({ ref, keys }) => ({ ref, keys: keys.map(blockHash) })),
    removals: change.removals,
    ...(change.erased && change.erased.length > 0 ? { erased: change.erased } : {}),
    profiles: change.profiles.map((profile) => ({
      id: profile.id,
      records: profile.records,
      json: profile.json ?? JSON.stringify(profile),
    })),
    retired: change.retired,
    shared: change.shared,
    decisionsAdded: change.decisionsAdded,
    decisionsRemoved: change.decisionsRemoved,
    ...(change.review && (change.review.upserts.length > 0 || change.review.removed.length > 0)
      ? { review: change.review }
      : {}),
    events,
    eventsEnd,
    ...(change.rules ? { rules: change.rules } : {}),
    ...(change.firstLoad ? { firstLoad: true } : {}),
  };
}

/**
 * A log entry as one line: the entry's JSON without the record and profile bodies, then each body
 * after a tab. JSON never contains a raw tab (it writes `\t`), so the split is exact, and the
 * bodies, already JSON, are neither escaped again on write nor parsed on replay.
 */
export const logEntryCodec: LineCodec<LogEntry> = {
  encode(entry) {
    const header = {
      ...entry,
      upserts: entry.upserts.map(({ ref, ids, blocks }) => ({ ref, ids, blocks })),
      profiles: entry.profiles.map(({ id, records }) => ({ id, records })),
    };
    const parts = [JSON.stringify(header)];
    for (const record of entry.upserts) parts.push(record.json);
    for (const profile of entry.profiles) parts.push(profile.json);
    return parts;
  },
  decode(line) {
    const parts = line.split('\t');
    // The header's records and profiles take their bodies in place (set just below): objects fresh
    // from JSON.parse, so replaying a store of a million records copies none of them.
    const header = JSON.parse(parts[0] as string) as Omit<LogEntry, 'upserts' | 'profiles'> & {
      upserts: { -readonly [K in keyof LoggedRecord]: LoggedRecord[K] }[];
      profiles: { -readonly [K in keyof LoggedProfile]: LoggedProfile[K] }[];
    };
    if (parts.length !== 1 + header.upserts.length + header.profiles.length) throw new Error('body count mismatch');
    let body = 1;
    for (const record of header.upserts) record.json = parts[body++] as string;
    for (const profile of header.profiles) profile.json = parts[body++] as string;
    return header;
  },
};
