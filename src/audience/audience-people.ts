/**
 * An audience's people, read from the store once its members are resolved (resolve-audience.ts):
 * a batch of profiles at a time, each person with the values of every record of their profile
 * (the "after" view) and of the records and rows the audience named (the "before" view), let go
 * once the caller has moved on, so an audience of any size is reported and exported without
 * holding its people's values.
 *
 * Suppression removes everyone who resolves into a suppressing audience: the same profile, or for
 * unmatched rows the same identifier. Both audiences are grouped in as many parts, so a part of
 * one is compared with the same part of the other.
 */
import type { AudiencePerson, PersonValue } from '../core/audience/person.js';
import { recordValues } from '../core/audience/record-values.js';
import type { PreparedRecord, RecordRef } from '../core/resolve/types.js';
import type { ProfileMembers } from './profile-groups.js';
import type { ResolveContext, ResolvedAudience, UnresolvedPerson } from './resolve-audience.js';

/**
 * Profiles read per batch of people. Small, so a batch dies young: a batch that outlives a
 * young-generation collection is copied into the old generation, and at a million people that
 * copying cost a fifth of a report (measured once on the 1M-member benchmark audience, Meta
 * report: 5,000 per batch 19.5 s, 1,000 per batch 15.6 s).
 */
const PEOPLE_BATCH = 1_000;

/** The identifier keys of an audience's unmatched people, for suppressing them from another. */
function unresolvedKeys(resolved: ResolvedAudience): Set<string> {
  const keys = new Set<string>();
  for (const person of resolved.unresolved) for (const key of person.keys) keys.add(key);
  return keys;
}

/**
 * The audience's profiles part by part and then its unmatched people, without those the
 * suppressing audiences hold (grouped in as many parts). `counts.suppressed` grows as parts pass.
 */
export async function* keptGroups(
  resolved: ResolvedAudience,
  suppressors: readonly ResolvedAudience[],
  counts: { suppressed: number },
): AsyncGenerator<Map<string, ProfileMembers> | UnresolvedPerson[]> {
  for (let part = 0; part < resolved.groups.parts; part++) {
    const groups = await resolved.groups.load(part);
    if (suppressors.length === 0) {
      yield groups;
      continue;
    }
    const suppressed = new Set<string>();
    for (const suppressor of suppressors)
      for (const id of (await suppressor.groups.load(part)).keys()) suppressed.add(id);
    const kept = new Map<string, ProfileMembers>();
    for (const [id, members] of groups) {
      if (suppressed.has(id)) counts.suppressed++;
      else kept.set(id, members);
    }
    yield kept;
  }
  const suppressedKeys = suppressors.map(unresolvedKeys);
  const kept = resolved.unresolved.filter(
    ({ keys }) => !suppressedKeys.some((set) => keys.some((key) => set.has(key))),
  );
  counts.suppressed += resolved.unresolved.length - kept.length;
  yield kept;
}

/**
 * The audience's people, read from the store a batch of profiles at a time and handed over a batch
 * at a time (a yield per person would cost more than most people take to evaluate).
 */
export async function* audiencePeople(
  context: ResolveContext,
  groups: AsyncIterable<Map<string, ProfileMembers> | UnresolvedPerson[]>,
): AsyncGenerator<AudiencePerson[]> {
  for await (const part of groups) {
    if (Array.isArray(part)) {
      if (part.length > 0) yield part.map(({ person }) => person);
      continue;
    }
    let batch: string[] = [];
    for (const id of part.keys()) {
      batch.push(id);
      if (batch.length < PEOPLE_BATCH) continue;
      yield await profilePeople(context, part, batch);
      batch = [];
    }
    if (batch.length > 0) yield await profilePeople(context, part, batch);
  }
}

async function profilePeople(
  context: ResolveContext,
  members: ReadonlyMap<string, ProfileMembers>,
  ids: readonly string[],
): Promise<AudiencePerson[]> {
  const { store } = context;
  const profiles = await store.getProfiles(ids);
  const records = await store.getRecords(ids.flatMap((id) => profiles.get(id)?.records ?? []));
  const valuesOf = (record: PreparedRecord) => recordValues(record, context.rules, context.normalizers);

  const people: AudiencePerson[] = [];
  for (const id of ids) {
    const profile = profiles.get(id);
    const entry = members.get(id) as ProfileMembers;
    if (!profile) continue;
    const named = entry.wholeProfile || !entry.records ? undefined : new Set(entry.records);
    const after: PersonValue[] = [];
    const before: PersonValue[] = [];
    let newestTs = 0;
    for (const ref of profile.records) {
      const record = records.get(ref);
      if (!record) continue;
      // The same value objects in both views: a report evaluates a value once for both.
      for (const value of valuesOf(record)) {
        after.push(value);
        if (named?.has(ref)) before.push(value);
      }
      if (record.ts > newestTs) newestTs = record.ts;
    }
    if (named) {
      // A named record that left the profile since the rows were resolved (an ingest in between)
      // is read on its own: the "before" view is what the rows named, wherever it is now.
      const strays = (entry.records as RecordRef[]).filter((ref) => !records.has(ref));
      if (strays.length > 0) {
        for (const record of (await store.getRecords(strays)).values()) before.push(...valuesOf(record));
      }
    }
    if (entry.values) before.push(...entry.values);
    people.push({
      profileId: id,
      rows: entry.rows,
      records: profile.records,
      before: entry.wholeProfile ? after : before,
      after,
      newestTs,
    });
  }
  return people;
}
