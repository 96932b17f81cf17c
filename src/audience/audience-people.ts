/**
 * An audience's people, read from the store once its members are resolved (resolve-audience.ts):
 * a batch of profiles at a time, each with its records (still encoded) and what the audience's
 * rows said about it, for a pass to build into people (audience/people-batch.ts) and let go,
 * so an audience of any size is reported and exported without holding its people's values.
 *
 * Suppression removes everyone who resolves into a suppressing audience: the same profile, or for
 * unmatched rows the same identifier. Both audiences are grouped in as many parts, so a part of
 * one is compared with the same part of the other.
 */

import type { RecordRef } from '../core/resolve/types.js';
import type { GraphReads } from '../store/graph-store.js';
import { type PeopleBatch, type ProfileInput, packPeople, strayRefs, unresolvedBatch } from './people-batch.js';
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
 * The audience's people as batches to build and evaluate (people-batch.ts): a batch of profiles at
 * a time with their records as the store encodes them, then the unmatched people. A batch per
 * thousand profiles, not a yield per person, which would cost more than most people take to
 * evaluate.
 */
export async function* peopleBatches(
  context: ResolveContext,
  groups: AsyncIterable<Map<string, ProfileMembers> | UnresolvedPerson[]>,
  perBatch = PEOPLE_BATCH,
): AsyncGenerator<PeopleBatch> {
  for await (const part of groups) {
    if (Array.isArray(part)) {
      for (let start = 0; start < part.length; start += perBatch) {
        yield unresolvedBatch(part.slice(start, start + perBatch).map(({ person }) => person));
      }
      continue;
    }
    let batch: string[] = [];
    for (const id of part.keys()) {
      batch.push(id);
      if (batch.length < perBatch) continue;
      yield await readBatch(context.store, part, batch);
      batch = [];
    }
    if (batch.length > 0) yield await readBatch(context.store, part, batch);
  }
}

async function readBatch(
  store: Pick<GraphReads, 'profileRecords' | 'getEncodedRecords'>,
  members: ReadonlyMap<string, ProfileMembers>,
  ids: readonly string[],
): Promise<PeopleBatch> {
  const stored = await store.profileRecords(ids);
  const profiles: ProfileInput[] = [];
  const refs: RecordRef[] = [];
  for (const id of ids) {
    const records = stored.get(id);
    if (!records) continue;
    const entry = members.get(id) as ProfileMembers;
    profiles.push({
      profileId: id,
      rows: entry.rows,
      records,
      wholeProfile: entry.wholeProfile,
      named: entry.records,
      values: entry.values,
    });
    for (const ref of records) refs.push(ref);
  }
  // Named records are normally among their profile's; one that left it is read on its own.
  const strays = strayRefs(profiles);
  return packPeople(profiles, await store.getEncodedRecords([...refs, ...strays]), strays);
}
