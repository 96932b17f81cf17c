/**
 * Audiences in the graph (graph-store.ts, AudienceStorage), outside the commit sequence:
 *   (:Audience {id, version, chunks, data, name, createdAt, rows}): the definition as JSON (`data`),
 *     and the version of its members in force, in `chunks` chunks
 *   (:AudienceChunk {audience, version, n, members, at}): members `n * MEMBERS_PER_CHUNK` on, each a
 *     JSON string, in upload order; a write makes a new version's chunks, then switches to it
 *   (:Segment {id, data, name, resolvedCommit}): a saved segment, its audit trail in `data`
 * One node per few thousand members, not per member: a million-row audience is 500 nodes.
 */
import type { AudienceDefinition, SavedSegment } from '../../../core/audience/definitions.js';
import { cypher, int, type Statement } from './statement.js';

/** Members per chunk node: a chunk of typical rows is a few hundred kilobytes. */
export const MEMBERS_PER_CHUNK = 2_000;

/** Column `data` (the definition as JSON); no row for an unknown audience. */
const AUDIENCE = cypher`
  MATCH (a:Audience {id: $id}) RETURN a.data AS data`;

export const audience = (id: string): Statement => ({ name: 'audience', cypher: AUDIENCE, params: { id } });

const AUDIENCES = cypher`
  MATCH (a:Audience) RETURN a.data AS data ORDER BY a.id`;

export const audiences = (): Statement => ({ name: 'audiences', cypher: AUDIENCES, params: {} });

/** Columns `version`, `chunks`: which chunks a reader pages through. */
const AUDIENCE_VERSION = cypher`
  MATCH (a:Audience {id: $id}) RETURN a.version AS version, a.chunks AS chunks`;

export const audienceVersion = (id: string): Statement => ({
  name: 'audienceVersion',
  cypher: AUDIENCE_VERSION,
  params: { id },
});

/** A new version's chunks, written before any reader is pointed at them; `at` lets a sweep tell abandoned ones. */
const WRITE_AUDIENCE_CHUNKS = cypher`
  UNWIND $chunks AS chunk
  CREATE (:AudienceChunk {audience: $id, version: $version, n: chunk.n, members: chunk.members, at: $at})`;

export const writeAudienceChunks = (
  id: string,
  version: string,
  chunks: readonly { readonly n: number; readonly members: readonly string[] }[],
  atMs: number,
): Statement => ({
  name: 'writeAudienceChunks',
  cypher: WRITE_AUDIENCE_CHUNKS,
  params: { id, version, at: int(atMs), chunks: chunks.map(({ n, members }) => ({ n: int(n), members })) },
});

/**
 * The first statement of a switch: takes the audience's write lock (made
 * now when new, version ''), held to the end of the transaction. Columns `version` ('' for a new
 * audience), `data`.
 */
const LOCK_AUDIENCE = cypher`
  MERGE (a:Audience {id: $id}) ON CREATE SET a.version = '', a.chunks = 0
  SET a.lockedAt = $at
  RETURN a.version AS version, a.data AS data`;

export const lockAudience = (id: string, atMs: number): Statement => ({
  name: 'lockAudience',
  cypher: LOCK_AUDIENCE,
  params: { id, at: int(atMs) },
});

/** The lock of an audience that must exist (an erasure's rewrite): no row when it was removed. */
const LOCK_EXISTING_AUDIENCE = cypher`
  MATCH (a:Audience {id: $id})
  SET a.lockedAt = $at
  RETURN a.version AS version, a.data AS data`;

export const lockExistingAudience = (id: string, atMs: number): Statement => ({
  name: 'lockExistingAudience',
  cypher: LOCK_EXISTING_AUDIENCE,
  params: { id, at: int(atMs) },
});

/** Column `chunks`: how many chunks of a version are there (a switch checks none went missing). */
const COUNT_AUDIENCE_CHUNKS = cypher`
  MATCH (c:AudienceChunk {audience: $id, version: $version}) RETURN count(c) AS chunks`;

export const countAudienceChunks = (id: string, version: string): Statement => ({
  name: 'countAudienceChunks',
  cypher: COUNT_AUDIENCE_CHUNKS,
  params: { id, version },
});

/** Points the audience at a version: from this commit on, readers read it. */
const SWITCH_AUDIENCE = cypher`
  MATCH (a:Audience {id: $id})
  SET a.version = $version, a.chunks = $chunks, a.data = $data,
      a.name = $name, a.createdAt = $createdAt, a.rows = $rows`;

export const switchAudience = (definition: AudienceDefinition, version: string, chunks: number): Statement => ({
  name: 'switchAudience',
  cypher: SWITCH_AUDIENCE,
  params: {
    id: definition.id,
    version,
    chunks: int(chunks),
    data: JSON.stringify(definition),
    name: definition.name,
    createdAt: definition.createdAt,
    rows: int(definition.rows),
  },
});

/** Columns `n`, `members`: chunks `from` on, in order, at most `limit`. */
const AUDIENCE_CHUNKS_PAGE = cypher`
  MATCH (c:AudienceChunk {audience: $id, version: $version}) WHERE c.n >= $from
  RETURN c.n AS n, c.members AS members ORDER BY c.n LIMIT $limit`;

export const audienceChunksPage = (id: string, version: string, from: number, limit: number): Statement => ({
  name: 'audienceChunksPage',
  cypher: AUDIENCE_CHUNKS_PAGE,
  params: { id, version, from: int(from), limit: int(limit) },
});

/** Columns `n`, `members`: these chunks of a version, read again under the audience's lock. */
const AUDIENCE_CHUNKS = cypher`
  MATCH (c:AudienceChunk {audience: $id, version: $version}) WHERE c.n IN $ns
  RETURN c.n AS n, c.members AS members ORDER BY c.n`;

export const audienceChunks = (id: string, version: string, ns: readonly number[]): Statement => ({
  name: 'audienceChunks',
  cypher: AUDIENCE_CHUNKS,
  params: { id, version, ns: ns.map(int) },
});

/** An erasure's rewrite: the chunks that held erased rows, and the definition with fewer rows. */
const REWRITE_AUDIENCE_CHUNKS = cypher`
  MATCH (a:Audience {id: $id})
  SET a.data = $data, a.rows = $rows
  WITH a
  UNWIND $chunks AS chunk
  MATCH (c:AudienceChunk {audience: $id, version: a.version, n: chunk.n})
  SET c.members = chunk.members`;

export const rewriteAudienceChunks = (
  definition: AudienceDefinition,
  chunks: readonly { readonly n: number; readonly members: readonly string[] }[],
): Statement => ({
  name: 'rewriteAudienceChunks',
  cypher: REWRITE_AUDIENCE_CHUNKS,
  params: {
    id: definition.id,
    data: JSON.stringify(definition),
    rows: int(definition.rows),
    chunks: chunks.map(({ n, members }) => ({ n: int(n), members })),
  },
});

/** Column `version` (null when it was being made by this very transaction); removes the segment of the same id too. */
const REMOVE_AUDIENCE = cypher`
  MATCH (a:Audience {id: $id})
  OPTIONAL MATCH (s:Segment {id: $id})
  WITH a, s, a.version AS version
  DELETE a, s
  RETURN version`;

export const removeAudience = (id: string): Statement => ({
  name: 'removeAudience',
  cypher: REMOVE_AUDIENCE,
  params: { id },
});

/** One batch of a version's chunks deleted (column `deleted`): run until none are left. */
const DELETE_AUDIENCE_CHUNKS = cypher`
  MATCH (c:AudienceChunk {audience: $id, version: $version})
  WITH c LIMIT $limit
  DELETE c
  RETURN count(*) AS deleted`;

export const deleteAudienceChunks = (id: string, version: string, limit: number): Statement => ({
  name: 'deleteAudienceChunks',
  cypher: DELETE_AUDIENCE_CHUNKS,
  params: { id, version, limit: int(limit) },
});

/**
 * Chunks no audience points at, written before `before`: left by a process that died between
 * writing a version and switching to it, or between switching and deleting the old one. Newer ones
 * may be a write under way. Column `deleted`.
 */
const SWEEP_AUDIENCE_CHUNKS = cypher`
  MATCH (c:AudienceChunk) WHERE c.at < $before
  OPTIONAL MATCH (a:Audience {id: c.audience})
  WITH c, a WHERE a IS NULL OR a.version <> c.version
  WITH c LIMIT $limit
  DELETE c
  RETURN count(*) AS deleted`;

export const sweepAudienceChunks = (beforeMs: number, limit: number): Statement => ({
  name: 'sweepAudienceChunks',
  cypher: SWEEP_AUDIENCE_CHUNKS,
  params: { before: int(beforeMs), limit: int(limit) },
});

/** Column `data` (the segment as JSON). */
const SEGMENT = cypher`
  MATCH (s:Segment {id: $id}) RETURN s.data AS data`;

export const segment = (id: string): Statement => ({ name: 'segment', cypher: SEGMENT, params: { id } });

const SEGMENTS = cypher`
  MATCH (s:Segment) RETURN s.data AS data ORDER BY s.id`;

export const segments = (): Statement => ({ name: 'segments', cypher: SEGMENTS, params: {} });

const PUT_SEGMENT = cypher`
  MERGE (s:Segment {id: $id})
  SET s.data = $data, s.name = $name, s.resolvedCommit = $resolvedCommit`;

export const putSegment = (saved: SavedSegment): Statement => ({
  name: 'putSegment',
  cypher: PUT_SEGMENT,
  params: {
    id: saved.id,
    data: JSON.stringify(saved),
    name: saved.name,
    resolvedCommit: int(saved.resolvedCommit),
  },
});
