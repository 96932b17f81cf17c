/**
 * A batch of an audience's people as the reading thread hands it on: for each profile, what the
 * audience's rows said about it and which records it holds, with those records still in their
 * compact encoding. Turning it into people (decoding records, typing their values) is left to
 * whichever thread evaluates them, so the thread that reads the store only reads.
 */

import type { RecordNormalizers } from '../normalize/rules-normalizers.js';
import { decodeRecord } from '../resolve/record-codec.js';
import type { RecordRef } from '../resolve/types.js';
import type { RulesFile } from '../rules/schema.js';
import type { AudiencePerson, PersonValue } from './person.js';
import { recordValues } from './record-values.js';

/** One profile of the batch. */
export interface ProfileSource {
  readonly profileId: string;
  /** Audience rows that resolved to this profile. */
  readonly rows: number;
  /** Records of the profile now. */
  readonly records: readonly RecordRef[];
  /** A row named the whole profile, so there is no narrower "before" view. */
  readonly wholeProfile: boolean;
  /** Records the rows named, for the "before" view. A named record may have left the profile since. */
  readonly named?: readonly RecordRef[];
  /** Raw values of identifier rows that reached the profile. */
  readonly values?: readonly PersonValue[];
}

export interface PeopleBatch {
  readonly profiles: readonly ProfileSource[];
  /** Encoded records of the profiles and the named records, by reference. */
  readonly encoded: ReadonlyMap<RecordRef, string>;
  /** Members that matched nothing in the graph, already people of their own. */
  readonly unresolved: readonly AudiencePerson[];
}

export function buildPeople(batch: PeopleBatch, rules: RulesFile, normalizers: RecordNormalizers): AudiencePerson[] {
  const valuesOf = new Map<RecordRef, PersonValue[]>();
  const recordOf = (ref: RecordRef) => {
    const encoded = batch.encoded.get(ref);
    return encoded === undefined ? undefined : decodeRecord(ref, encoded);
  };
  const people: AudiencePerson[] = [];
  for (const profile of batch.profiles) {
    const named = profile.wholeProfile || !profile.named ? undefined : new Set(profile.named);
    const after: PersonValue[] = [];
    const before: PersonValue[] = [];
    let newestTs = 0;
    for (const ref of profile.records) {
      const record = recordOf(ref);
      if (!record) continue;
      const values = recordValues(record, rules, normalizers);
      // The same value objects in both views: a report evaluates a value once for both.
      for (const value of values) {
        after.push(value);
        if (named?.has(ref)) before.push(value);
      }
      if (named?.has(ref)) valuesOf.set(ref, values);
      if (record.ts > newestTs) newestTs = record.ts;
    }
    // A named record that left the profile since the rows were resolved (an ingest in between) is
    // read on its own: the "before" view is what the rows named, wherever it is now.
    for (const ref of named ?? []) {
      if (valuesOf.has(ref)) continue;
      const record = recordOf(ref);
      if (record) before.push(...recordValues(record, rules, normalizers));
    }
    if (profile.values) before.push(...profile.values);
    people.push({
      profileId: profile.profileId,
      rows: profile.rows,
      records: profile.records,
      before: profile.wholeProfile ? after : before,
      after,
      newestTs,
    });
  }
  people.push(...batch.unresolved);
  return people;
}
