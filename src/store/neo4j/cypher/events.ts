/**
 * (:Event {id, commit, n, kind, at, actor, rule, data})-[:CHANGED]->(:Profile): the immutable history,
 * `data` being the whole event as JSON, linked to every profile in its `before` and `after`, ordered
 * by (commit, n). Only an erasure rewrites an event (erasure.ts).
 */
import type { Integer } from 'neo4j-driver';
import type { ChangeSet } from '../../graph-store.js';
import { type Batches, batched, cypher, int, type Statement } from './statement.js';

const CREATE_EVENTS = cypher`
  UNWIND $rows AS row
  CREATE (e:Event {id: row.id, commit: $commit, n: row.n, kind: row.kind, at: row.at, actor: row.actor,
                   rule: row.rule, data: row.data})
  WITH e, row
  UNWIND row.profiles AS profileId
  MATCH (p:Profile {id: profileId})
  CREATE (e)-[:CHANGED]->(p)`;

/** An event as the write takes it: `profiles` are those it is linked to, `n` its place in the commit. */
export interface EventRow {
  readonly id: string;
  readonly kind: string;
  readonly at: string;
  readonly actor: string;
  readonly rule: string | null;
  readonly data: string;
  readonly profiles: readonly string[];
  readonly n: Integer;
}

/** A bulk-path event comes with its JSON made: written as it is (also into import files, import-files/). */
export function eventRows(events: ChangeSet['events']): EventRow[] {
  return events.map((event, n) => ({
    id: event.id,
    kind: event.kind,
    at: event.at,
    actor: event.actor,
    rule: event.rule ?? null,
    data: event.json ?? JSON.stringify(event),
    profiles: [...new Set([...event.before, ...event.after])],
    n: int(n),
  }));
}

/** The commit's events, each linked to the profiles of its `before` and `after`. */
export const createEvents = (events: ChangeSet['events'], commit: Integer): Batches =>
  batched('createEvents', CREATE_EVENTS, eventRows(events), { commit });

const EVENTS_OF = cypher`
  MATCH (e:Event)-[:CHANGED]->(:Profile {id: $id})
  RETURN e.data AS data ORDER BY e.commit, e.n`;

/** A profile's history, oldest first (column `data`). */
export const eventsOf = (profileId: string): Statement => ({
  name: 'eventsOf',
  cypher: EVENTS_OF,
  params: { id: profileId },
});

const EVENT = cypher`
  MATCH (e:Event {id: $id}) RETURN e.data AS data`;

/** One event by ID (column `data`). */
export const event = (id: string): Statement => ({ name: 'event', cypher: EVENT, params: { id } });

const EVENT_COUNTS = cypher`
  MATCH (e:Event) WHERE e.commit > $after AND e.commit <= $upTo
  RETURN substring(e.at, 0, 10) AS day, e.kind AS kind, count(*) AS count`;

/**
 * Events by UTC day and kind among the commits after `afterCommit` up to `upTo` (columns `day`,
 * `kind`, `count`), counted on the server through the index on the commit: only the counts travel.
 */
export const eventCounts = (afterCommit: number, upTo: number): Statement => ({
  name: 'eventCounts',
  cypher: EVENT_COUNTS,
  params: { after: int(afterCommit), upTo: int(upTo) },
});

const EVENTS_PAGE = cypher`
  MATCH (e:Event) WHERE e.commit > $commit OR (e.commit = $commit AND e.n > $n)
  WITH e ORDER BY e.commit, e.n LIMIT $limit
  RETURN e.commit AS commit, e.n AS n, e.data AS data`;

/** Every event in commit order, a page at a time after (commit, n); start from (-1, -1). */
export const eventsPage = (after: { commit: number; n: number }, limit: number): Statement => ({
  name: 'eventsPage',
  cypher: EVENTS_PAGE,
  params: { commit: int(after.commit), n: int(after.n), limit: int(limit) },
});
