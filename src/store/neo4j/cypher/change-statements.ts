/**
 * The data statements of one ChangeSet, in the order the embedded store applies a log entry
 * (memory-state.ts), so both stores end in the same state. write-change.ts runs them after the
 * commit's sequence check (commitGuard, which also moves lastCommit on) and, for an erasure, its reads.
 *
 * Each step's rows are shaped when its turn comes, not all before the first statement runs (a
 * first-load batch is large).
 */
import type { ChangeSet } from '../../graph-store.js';
import { dropAllBlocks, unlinkStaleBlocks } from './blocks.js';
import { addDecisions, removeDecisions } from './decisions.js';
import { createEvents } from './events.js';
import { markShared } from './identifiers.js';
import {
  createProfiles,
  linkProfileRecords,
  profileRows,
  redirectProfiles,
  retireProfiles,
  touchProfilesOf,
  upsertProfiles,
} from './profiles.js';
import { createRecords, recordRows, removeRecords, upsertRecords } from './records.js';
import { removeReviewItems, upsertReviewItems } from './review.js';
import { type Batches, int, type Statement } from './statement.js';

export function* changeStatements(change: ChangeSet): Generator<Statement> {
  if (change.rules) yield dropAllBlocks();
  for (const step of writeSteps(change)) yield* step();
}

/**
 * The write steps of a ChangeSet in order, each made when called. The same steps for every
 * incremental commit, whatever it holds (a step with no rows writes nothing): the one statement of
 * a small commit (commit-statement.ts) then has the same text every time, planned once.
 */
export function writeSteps(change: ChangeSet): (() => Batches)[] {
  const commit = int(change.commit);
  const records = recordRows(change.upserts);
  const profiles = profileRows(change.profiles);
  return [
    () => unlinkStaleBlocks(change.staleBlockKeys),
    () => removeRecords(change.removals),
    () => (change.firstLoad ? createRecords(records, commit) : upsertRecords(records, commit)),
    () => retireProfiles(change.retired, commit),
    () => redirectProfiles(change.retired),
    ...(change.firstLoad
      ? [() => createProfiles(profiles, commit), () => linkProfileRecords(profiles)]
      : [
          () => upsertProfiles(profiles, commit),
          // Records of the profiles just written carry this commit already; the others' profiles are touched.
          () => {
            const written = new Set(profiles.flatMap((row) => row.records));
            return touchProfilesOf(
              records.map((row) => row.ref).filter((ref) => !written.has(ref)),
              commit,
            );
          },
        ]),
    () => markShared(change.shared),
    () => removeDecisions(change.decisionsRemoved),
    () => addDecisions(change.decisionsAdded, commit),
    () => removeReviewItems(change.review?.removed ?? []),
    () => upsertReviewItems(change.review?.upserts ?? []),
    () => createEvents(change.events, commit),
  ];
}
