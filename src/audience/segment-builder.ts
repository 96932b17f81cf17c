/**
 * Runs a segment's conditions over every profile of the graph: reads the profiles a thousand at a
 * time with their records, takes each one's golden record, identifier types and last record time,
 * and counts who matches. The audiences that conditions name are resolved first, to their profiles.
 */
import {
  type AudienceMembers,
  audiencesNamed,
  type SegmentCondition,
  type SegmentFacts,
  SegmentTally,
} from '../core/audience/segment.js';
import { goldenRecord } from '../core/profile/golden-record.js';
import type { PreparedRecord } from '../core/resolve/types.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { GraphReads, StoredProfile } from '../store/graph-store.js';
import type { AudienceService } from './audience-service.js';

const BATCH = 1_000;

export interface SegmentOutcome {
  readonly commit: number;
  /** Profiles looked at: every live profile. */
  readonly profiles: number;
  /** How many profiles each condition alone lets through, in the conditions' order. */
  readonly perCondition: readonly number[];
  /** The profiles matching every condition, in ID order. */
  readonly matched: readonly string[];
}

export async function runSegment(
  store: GraphReads,
  rules: LoadedRules,
  audiences: AudienceService,
  conditions: readonly SegmentCondition[],
  nowMs: number,
): Promise<SegmentOutcome> {
  const commit = await store.lastCommit();
  const members = await audienceMembers(audiences, audiencesNamed(conditions));
  const tally = new SegmentTally(conditions, members, nowMs);
  let batch: StoredProfile[] = [];
  const flush = async () => {
    const records = await store.getRecords(batch.flatMap((profile) => profile.records));
    for (const profile of batch) {
      const held = profile.records.map((ref) => records.get(ref)).filter((r): r is PreparedRecord => r !== undefined);
      tally.add(factsOf(profile.id, held, rules));
    }
    batch = [];
  };
  for await (const profile of store.profiles()) {
    batch.push(profile);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return { commit, profiles: tally.profiles, perCondition: tally.perCondition, matched: tally.matched };
}

export function factsOf(profileId: string, records: readonly PreparedRecord[], rules: LoadedRules): SegmentFacts {
  const golden = goldenRecord(records, rules.file);
  return {
    profileId,
    attributes: Object.fromEntries(Object.entries(golden.attributes).map(([name, value]) => [name, value.value])),
    identifierTypes: new Set(golden.identifiers.map((identifier) => identifier.type)),
    lastSeenMs: Math.max(0, ...records.map((record) => record.ts)),
  };
}

/** Each named audience's people that are profiles of the graph (after its own suppressions). */
async function audienceMembers(audiences: AudienceService, ids: readonly string[]): Promise<AudienceMembers> {
  const members = new Map<string, Set<string>>();
  for (const id of ids) members.set(id, await audiences.profileIds(id));
  return members;
}
