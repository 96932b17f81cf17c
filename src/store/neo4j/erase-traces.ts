/**
 * Runs the Neo4j side of an erasure (see core/resolve/erasure.ts and cypher/erasure.ts) inside the
 * commit's write transaction. Neo4j's own transaction logs keep old values until they rotate
 * (db.tx_log.rotation.retention_policy); see graph/README.md.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import { redactEvent } from '../../core/resolve/erasure.js';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { RecordRef } from '../../core/resolve/types.js';
import { run } from './connection.js';
import * as erasure from './cypher/erasure.js';

export interface ErasedTraces {
  readonly identifiers: readonly string[];
  readonly blocks: readonly string[];
}

/** The identifier and block keys the erased records use, read before the records are deleted. */
export async function tracesOf(tx: ManagedTransaction, refs: readonly RecordRef[]): Promise<ErasedTraces> {
  const row = (await run(tx, erasure.tracesOf(refs)))[0];
  return {
    identifiers: (row?.get('identifiers') as string[] | undefined) ?? [],
    blocks: (row?.get('blocks') as string[] | undefined) ?? [],
  };
}

/** Rewrites every stored event that mentions an erased record. */
export async function redactHistory(tx: ManagedTransaction, refs: readonly RecordRef[]): Promise<void> {
  const found = await eventsMentioningErased(tx, refs);
  const erased = new Set(refs);
  const rows = [...found].flatMap(([id, data]) => {
    const redacted = redactEvent(JSON.parse(data) as ProfileEvent, erased);
    return redacted ? [{ id, data: JSON.stringify(redacted) }] : [];
  });
  if (rows.length === 0) return;
  await run(tx, erasure.rewriteEvents(rows));
}

/**
 * The events that mention the erased records (id to body), found through the graph from the
 * profiles that hold them, so an erasure reads their history rather than everyone's (reading every
 * event took about 1 s on a graph of 1M records, and grows with the history).
 *
 * Why this finds every one. An event is linked (CHANGED) to the profiles of its `before` and
 * `after`, and one that names a record always names it while one of those holds it: a creation or
 * addition names records of the profile after it, a merge's evidence joins records of the merged
 * profile, a split names records of the profile before it (and where each moved), a decision's
 * event names records of the profiles before it (core/resolve/diff.ts, decisions/decision-event.ts).
 * And a record only ever leaves a profile in one of two ways (core/resolve/profile-ids.ts): with the
 * whole profile, merged into another (MERGED_INTO from the old to the new), or split off into a
 * profile that did not inherit the old one, in a split event that names it. So walking back from
 * the profiles that hold the records now, along MERGED_INTO and along the events that name them,
 * reaches every profile that ever held one, and so every event that names one.
 * test/graph/neo4j-store.test.ts checks the walk against reading every event.
 */
export async function eventsMentioningErased(
  tx: ManagedTransaction,
  refs: readonly RecordRef[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const visited = new Set<string>();
  let frontier = ((await run(tx, erasure.profilesOfRecords(refs)))[0]?.get('ids') as string[] | undefined) ?? [];
  while (frontier.length > 0) {
    for (const id of frontier) visited.add(id);
    const [events, merged] = await Promise.all([
      run(tx, erasure.eventsMentioning(frontier, refs)),
      run(tx, erasure.mergedIntoAny(frontier)),
    ]);
    const next = new Set<string>();
    for (const row of events) {
      found.set(row.get('id') as string, row.get('data') as string);
      for (const id of row.get('profiles') as string[]) if (!visited.has(id)) next.add(id);
    }
    for (const id of (merged[0]?.get('ids') as string[] | undefined) ?? []) if (!visited.has(id)) next.add(id);
    frontier = [...next];
  }
  return found;
}

/** Deletes the identifier and block nodes no record uses any more. */
export async function dropUnusedNodes(tx: ManagedTransaction, traces: ErasedTraces): Promise<void> {
  await run(tx, erasure.dropUnusedIdentifiers(traces.identifiers));
  await run(tx, erasure.dropUnusedBlocks(traces.blocks));
}
