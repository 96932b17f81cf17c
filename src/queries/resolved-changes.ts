/**
 * The rows of the resolved tables (`idgraph export resolved`) for the profiles a range of commits
 * touched: each live one in full (its records, its identifiers with how many records hold them and
 * when they were first and last seen, its golden attributes), each merged-away ID with the live
 * profile it leads to now, and each ID that leads nowhere any more (emptied or erased). From commit
 * 0 that is the whole graph. Read in batches of profiles, so memory stays flat however large the
 * graph.
 */
import { goldenRecord } from '../core/profile/golden-record.js';
import type { PreparedRecord } from '../core/resolve/types.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { GraphReads } from '../store/graph-store.js';

export interface ResolvedIdentifier {
  readonly type: string;
  /** The canonical (normalized) value. */
  readonly value: string;
  /** How many of the profile's records hold it. */
  readonly records: number;
  /** Epoch milliseconds of the earliest and latest record holding it; undefined when none has a time. */
  readonly firstSeen: number | undefined;
  readonly lastSeen: number | undefined;
}

export interface ResolvedProfile {
  readonly profileId: string;
  readonly records: readonly { readonly source: string; readonly recordId: string }[];
  readonly identifiers: readonly ResolvedIdentifier[];
  /** The golden value of each attribute that some record has. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface ResolvedBatch {
  /** Live profiles touched: their rows replace whatever the tables held for them. */
  readonly profiles: readonly ResolvedProfile[];
  /** IDs merged away, with the live profile each leads to now. */
  readonly redirects: readonly { readonly oldProfileId: string; readonly profileId: string }[];
  /** IDs that lead to no live profile any more (emptied, or erased): their rows go. */
  readonly removed: readonly string[];
}

export type ResolvedReads = Pick<
  GraphReads,
  'profilesChangedSince' | 'currentProfileIds' | 'profileRecords' | 'getRecords'
>;

/** Profiles per batch: one read of their records, a few thousand records decoded at a time. */
const BATCH = 1_000;

export interface ResolvedChangesOptions {
  /**
   * Whether other processes may commit while this reads (Neo4j; an embedded store opened to read
   * is a snapshot). A record moved between two batches would then be listed under both profiles:
   * it is given once, with the first, and the next run (which starts from a commit read before
   * this one) writes it where it went. Remembering every record given costs a fifth of the read.
   */
  readonly storeMayChange?: boolean;
  readonly batchSize?: number;
}

export async function* resolvedChanges(
  store: ResolvedReads,
  rules: Pick<LoadedRules, 'file'>,
  since: number,
  options: ResolvedChangesOptions = {},
): AsyncIterable<ResolvedBatch> {
  const batchSize = options.batchSize ?? BATCH;
  const ids = await store.profilesChangedSince(since);
  const given = options.storeMayChange ? new Set<string>() : undefined;
  for (let start = 0; start < ids.length; start += batchSize) {
    const batch = ids.slice(start, start + batchSize);
    const current = await store.currentProfileIds(batch);
    const live = batch.filter((id) => current.get(id) === id);
    const redirects = batch.flatMap((id) => {
      const now = current.get(id);
      return now !== undefined && now !== id ? [{ oldProfileId: id, profileId: now }] : [];
    });
    const removed = batch.filter((id) => !current.has(id));
    const members = await store.profileRecords(live);
    const records = await store.getRecords([...members.values()].flat());
    const profiles: ResolvedProfile[] = [];
    for (const id of live) {
      let refs = members.get(id) ?? [];
      if (given) {
        refs = refs.filter((ref) => !given.has(ref));
        for (const ref of refs) given.add(ref);
      }
      const held = refs.flatMap((ref) => records.get(ref) ?? []);
      profiles.push(resolvedProfile(id, held, rules));
    }
    yield { profiles, redirects, removed };
  }
}

function resolvedProfile(
  profileId: string,
  records: readonly PreparedRecord[],
  rules: Pick<LoadedRules, 'file'>,
): ResolvedProfile {
  const golden = goldenRecord(records, rules.file);
  // Most profiles hold a record or two: a search of them is cheaper than a map made for each.
  const byRef = records.length > 8 ? new Map(records.map((record) => [record.ref, record.ts])) : undefined;
  const timeOf = (ref: string) => byRef?.get(ref) ?? records.find((record) => record.ref === ref)?.ts ?? 0;
  return {
    profileId,
    records: records.map((record) => ({ source: record.source, recordId: record.recordId })),
    identifiers: golden.identifiers.map((identifier) => {
      // A record without a timestamp field has ts 0: it says nothing of when the value was seen.
      const times = identifier.records.map(timeOf).filter((ts) => ts > 0);
      return {
        type: identifier.type,
        value: identifier.value,
        records: identifier.records.length,
        firstSeen: times.length > 0 ? Math.min(...times) : undefined,
        lastSeen: times.length > 0 ? Math.max(...times) : undefined,
      };
    }),
    attributes: Object.fromEntries(
      Object.entries(golden.attributes).map(([name, attribute]) => [name, attribute.value]),
    ),
  };
}
