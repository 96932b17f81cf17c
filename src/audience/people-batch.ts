/**
 * A batch of an audience's people as the reading thread hands it on: for each profile, what the
 * audience's rows said about it and which records it holds, with those records still in their
 * compact encoding. Turning it into people (decoding records, typing their values) is left to
 * whichever thread evaluates them, so the thread that reads the store only reads.
 *
 * The batch is laid out in columns (one entry per profile, lists flattened with a count per
 * profile) rather than as an object per profile: it crosses to a worker thread by structured
 * cloning, and a thousand small objects cost that clone three times what a few arrays do.
 */

import { decodeRecord } from '../codec/record-codec.js';
import type { AudiencePerson, PersonValue } from '../core/audience/person.js';
import { recordValues } from '../core/audience/record-values.js';
import type { RecordNormalizers } from '../core/normalize/rules-normalizers.js';
import type { RecordRef } from '../core/resolve/types.js';
import type { RulesFile } from '../core/rules/schema.js';

/** A profile's entry in `namedCounts` when a row named the whole profile. */
export const WHOLE_PROFILE = -1;

export interface PeopleBatch {
  readonly profileIds: readonly string[];
  /** Audience rows that resolved to each profile. */
  readonly rows: Uint32Array;
  /** How many of `records`, in turn, are each profile's records now. */
  readonly recordCounts: Uint32Array;
  readonly records: readonly RecordRef[];
  /** Each record's encoding, null when the store no longer holds it. */
  readonly encoded: readonly (string | null)[];
  /**
   * How many of `named`, in turn, are the records each profile's rows named (its "before" view),
   * or WHOLE_PROFILE.
   */
  readonly namedCounts: Int32Array;
  readonly named: readonly RecordRef[];
  /** Named records that left their profile since the rows were resolved, by reference (rare). */
  readonly strays: ReadonlyMap<RecordRef, string>;
  /** Raw values of identifier rows that reached a profile, by the profile's index (rare). */
  readonly values: ReadonlyMap<number, readonly PersonValue[]>;
  /** Members that matched nothing in the graph, already people of their own. */
  readonly unresolved: readonly AudiencePerson[];
}

/** What the audience's rows said about one profile, and its records now. */
export interface ProfileInput {
  readonly profileId: string;
  readonly rows: number;
  readonly records: readonly RecordRef[];
  readonly wholeProfile: boolean;
  readonly named: readonly RecordRef[] | undefined;
  readonly values: readonly PersonValue[] | undefined;
}

/**
 * Lays profiles out as a batch; `encodedOf` gives the encodings of their records and of `strays`,
 * their named records that left them (strayRefs).
 */
export function packPeople(
  profiles: readonly ProfileInput[],
  encodedOf: ReadonlyMap<RecordRef, string>,
  strays: readonly RecordRef[],
): PeopleBatch {
  const count = profiles.length;
  const batch = {
    profileIds: new Array<string>(count),
    rows: new Uint32Array(count),
    recordCounts: new Uint32Array(count),
    records: [] as RecordRef[],
    encoded: [] as (string | null)[],
    namedCounts: new Int32Array(count),
    named: [] as RecordRef[],
    strays: new Map<RecordRef, string>(),
    values: new Map<number, readonly PersonValue[]>(),
    unresolved: [],
  };
  profiles.forEach((profile, index) => {
    batch.profileIds[index] = profile.profileId;
    batch.rows[index] = profile.rows;
    batch.recordCounts[index] = profile.records.length;
    for (const ref of profile.records) {
      batch.records.push(ref);
      batch.encoded.push(encodedOf.get(ref) ?? null);
    }
    if (profile.wholeProfile) batch.namedCounts[index] = WHOLE_PROFILE;
    else if (profile.named) {
      batch.namedCounts[index] = profile.named.length;
      batch.named.push(...profile.named);
    }
    if (profile.values) batch.values.set(index, profile.values);
  });
  for (const ref of strays) {
    const stray = encodedOf.get(ref);
    if (stray !== undefined) batch.strays.set(ref, stray);
  }
  return batch;
}

/** The named records of a batch's profiles that are not among their own records. */
export function strayRefs(profiles: readonly ProfileInput[]): RecordRef[] {
  return profiles.flatMap((profile) =>
    profile.wholeProfile || !profile.named ? [] : profile.named.filter((ref) => !profile.records.includes(ref)),
  );
}

export function buildPeople(batch: PeopleBatch, rules: RulesFile, normalizers: RecordNormalizers): AudiencePerson[] {
  const people: AudiencePerson[] = [];
  let recordAt = 0;
  let namedAt = 0;
  batch.profileIds.forEach((profileId, index) => {
    const recordCount = batch.recordCounts[index] as number;
    const namedCount = batch.namedCounts[index] as number;
    const records = batch.records.slice(recordAt, recordAt + recordCount);
    const whole = namedCount === WHOLE_PROFILE;
    // Rows that named the profile's records, all and in order (as an audience of every record
    // does), name what resolution sees: no set to build, no "before" view to gather apart.
    const everyRecord =
      !whole && namedCount === recordCount && records.every((ref, at) => batch.named[namedAt + at] === ref);
    const named = whole || everyRecord ? undefined : new Set(batch.named.slice(namedAt, namedAt + namedCount));
    const after: PersonValue[] = [];
    const before: PersonValue[] = [];
    let newestTs = 0;
    for (let offset = 0; offset < recordCount; offset++) {
      const encoded = batch.encoded[recordAt + offset];
      if (encoded === null || encoded === undefined) continue;
      const ref = records[offset] as RecordRef;
      const record = decodeRecord(ref, encoded);
      const isNamed = named?.has(ref) ?? false;
      // The same value objects in both views: a report evaluates a value once for both.
      for (const value of recordValues(record, rules, normalizers)) {
        after.push(value);
        if (isNamed) before.push(value);
      }
      if (record.ts > newestTs) newestTs = record.ts;
    }
    // A named record that left the profile since the rows were resolved (an ingest in between) is
    // read on its own: the "before" view is what the rows named, wherever it is now.
    for (const ref of named ?? []) {
      const stray = batch.strays.get(ref);
      if (stray !== undefined && !records.includes(ref))
        before.push(...recordValues(decodeRecord(ref, stray), rules, normalizers));
    }
    const values = batch.values.get(index);
    let beforeView: readonly PersonValue[];
    if (whole) beforeView = after;
    else if (everyRecord) beforeView = values ? [...after, ...values] : after;
    else {
      if (values) before.push(...values);
      // Rows that named every value-bearing record see what resolution sees: one view, evaluated once.
      beforeView = sameValues(before, after) ? after : before;
    }
    people.push({
      profileId,
      rows: batch.rows[index] as number,
      records,
      before: beforeView,
      after,
      newestTs,
    });
    recordAt += recordCount;
    if (namedCount !== WHOLE_PROFILE) namedAt += namedCount;
  });
  people.push(...batch.unresolved);
  return people;
}

/** The same value objects in the same order (a "before" view built from every record). */
function sameValues(before: readonly PersonValue[], after: readonly PersonValue[]): boolean {
  if (before.length !== after.length) return false;
  for (let index = 0; index < before.length; index++) if (before[index] !== after[index]) return false;
  return true;
}

/** A batch of only unmatched people. */
export function unresolvedBatch(people: readonly AudiencePerson[]): PeopleBatch {
  return { ...packPeople([], new Map(), []), unresolved: people };
}
