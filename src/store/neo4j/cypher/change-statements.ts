/**
 * The data statements of one ChangeSet, in the order the embedded store applies a log entry
 * (memory-state.ts), so both stores end in the same state. write-change.ts runs them after the
 * commit's sequence check (commitGuard, which also moves lastCommit on) and, for an erasure, its reads.
 *
 * A generator: each step's rows are shaped when its turn comes, not all before the first statement
 * runs (a first-load batch is large).
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
import { int, type Statement } from './statement.js';

export function* changeStatements(change: ChangeSet): Generator<Statement> {
  const commit = int(change.commit);

  if (change.rules) yield dropAllBlocks();
  yield* unlinkStaleBlocks(change.staleBlockKeys);
  yield* removeRecords(change.removals);

  const records = recordRows(change.upserts);
  if (change.firstLoad) yield* createRecords(records, commit);
  else yield* upsertRecords(records, commit);

  yield* retireProfiles(change.retired, commit);
  yield* redirectProfiles(change.retired);

  const profiles = profileRows(change.profiles);
  if (change.firstLoad) {
    yield* createProfiles(profiles, commit);
    yield* linkProfileRecords(profiles);
  } else {
    yield* upsertProfiles(profiles, commit);
    // Records of the profiles just written carry this commit already; the others' profiles are touched.
    const written = new Set(profiles.flatMap((row) => row.records));
    yield* touchProfilesOf(
      records.map((row) => row.ref).filter((ref) => !written.has(ref)),
      commit,
    );
  }

  yield* markShared(change.shared);
  yield* removeDecisions(change.decisionsRemoved);
  yield* addDecisions(change.decisionsAdded, commit);
  yield* removeReviewItems(change.review?.removed ?? []);
  yield* upsertReviewItems(change.review?.upserts ?? []);
  yield* createEvents(change.events, commit);
}
