/**
 * Reads of profiles (see profiles.ts for the model). A profile comes back as the columns `id`, `seq`,
 * `edges` (JSON) and `records` (refs in member order). Retired profiles are never returned as
 * profiles; findProfile and currentProfileIds follow MERGED_INTO from them to the live survivor.
 */
import { cypher, int, type Statement } from './statement.js';

/** A matched profile `p`'s records, in their order, as `records`. */
const PROFILE_RECORDS = cypher`
  OPTIONAL MATCH (p)-[h:HAS_RECORD]->(r:Record)
  WITH p, h, r ORDER BY h.i
  WITH p, [ref IN collect(r.ref) WHERE ref IS NOT NULL] AS records`;

/** A matched profile `p` as the columns of a profile. */
const PROFILE_FIELDS = cypher`
  ${PROFILE_RECORDS}
  RETURN p.id AS id, p.seq AS seq, p.edges AS edges, records`;

/**
 * From a matched `start`, the first profile along MERGED_INTO that is live or emptied, as `p`
 * (chains are short: one hop per merge).
 */
const FOLLOW_REDIRECTS = cypher`
  CALL (start) {
    MATCH path = (start)-[:MERGED_INTO*0..1000]->(p:Profile)
    WHERE p.retired = false OR p.mergedInto IS NULL
    RETURN p ORDER BY length(path) LIMIT 1
  }`;

const LIVE_PROFILES = cypher`
  UNWIND $ids AS id MATCH (p:Profile {id: id}) WHERE p.retired = false
  ${PROFILE_FIELDS}`;

/** The live profiles among these IDs. */
export const liveProfiles = (ids: readonly string[]): Statement => ({
  name: 'liveProfiles',
  cypher: LIVE_PROFILES,
  params: { ids: [...new Set(ids)] },
});

const PROFILE_RECORD_LISTS = cypher`
  UNWIND $ids AS id MATCH (p:Profile {id: id}) WHERE p.retired = false
  ${PROFILE_RECORDS}
  RETURN p.id AS id, records`;

/** The live profiles among these IDs with their records only (columns `id`, `records`). */
export const profileRecordLists = (ids: readonly string[]): Statement => ({
  name: 'profileRecordLists',
  cypher: PROFILE_RECORD_LISTS,
  params: { ids: [...new Set(ids)] },
});

const ISSUED_PROFILE_IDS = cypher`
  UNWIND $ids AS id MATCH (p:Profile {id: id}) RETURN id`;

/** Which of these IDs were ever issued, live or retired (column `id`). */
export const issuedProfileIds = (ids: readonly string[]): Statement => ({
  name: 'issuedProfileIds',
  cypher: ISSUED_PROFILE_IDS,
  params: { ids: [...new Set(ids)] },
});

const PROFILE_IDS_OF = cypher`
  UNWIND $refs AS ref MATCH (p:Profile)-[:HAS_RECORD]->(:Record {ref: ref}) RETURN ref, p.id AS id`;

/** The profile each of these records belongs to (columns `ref`, `id`). */
export const profileIdsOf = (refs: readonly string[]): Statement => ({
  name: 'profileIdsOf',
  cypher: PROFILE_IDS_OF,
  params: { refs: [...new Set(refs)] },
});

const REACH_RECORDS = cypher`
  UNWIND $refs AS ref
  MATCH (:Record {ref: ref})<-[:HAS_RECORD]-(p:Profile)
  WITH p, collect(ref) AS refs
  CALL (p) {
    OPTIONAL MATCH (p)-[h:HAS_RECORD]->(r:Record)
    WITH h, r ORDER BY h.i
    RETURN collect(r.ref) AS records
  }
  RETURN refs, p.retired = false AS live, p.id AS id, p.seq AS seq, p.edges AS edges, records`;

/**
 * profileIdsOf and liveProfiles in one statement: a row for each profile holding any of these
 * records, with the records asked for that it holds (`refs`), whether it is live (`live`), and its
 * profile columns.
 */
export const reachRecords = (refs: readonly string[]): Statement => ({
  name: 'reachRecords',
  cypher: REACH_RECORDS,
  params: { refs: [...new Set(refs)] },
});

const FIND_PROFILE = cypher`
  MATCH (start:Profile {id: $id})
  ${FOLLOW_REDIRECTS}
  WITH p WHERE p.retired = false
  ${PROFILE_FIELDS}`;

/** The profile of this ID, or the live one it was merged into; no row for an unknown or emptied ID. */
export const findProfile = (id: string): Statement => ({ name: 'findProfile', cypher: FIND_PROFILE, params: { id } });

const CURRENT_PROFILE_IDS = cypher`
  UNWIND $ids AS id
  MATCH (start:Profile {id: id})
  ${FOLLOW_REDIRECTS}
  WITH id, p WHERE p.retired = false
  RETURN id, p.id AS current`;

/** findProfile's walk for every ID at once, one statement (columns `id`, `current`). */
export const currentProfileIds = (ids: readonly string[]): Statement => ({
  name: 'currentProfileIds',
  cypher: CURRENT_PROFILE_IDS,
  params: { ids: [...new Set(ids)] },
});

const PROFILES_HOLDING = cypher`
  UNWIND $keys AS key
  MATCH (:Identifier {key: key})<-[x:HAS_IDENTIFIER]-(:Record)<-[:HAS_RECORD]-(p:Profile)
  WITH key, x, p ORDER BY x.commit, x.n
  RETURN key, collect(p.id) AS ids`;

/**
 * The profiles holding each identifier key (columns `key`, `ids`), in the order their records came
 * to hold it, a profile once per record: a DISTINCT aggregation need not keep the order, so the
 * store drops the repeats.
 */
export const profilesHolding = (keys: readonly string[]): Statement => ({
  name: 'profilesHolding',
  cypher: PROFILES_HOLDING,
  params: { keys: [...new Set(keys)] },
});

const PROFILES_PAGE = cypher`
  MATCH (p:Profile) WHERE p.id > $after AND p.retired = false
  WITH p ORDER BY p.id LIMIT $limit
  ${PROFILE_FIELDS}
  ORDER BY id`;

/** Up to `limit` live profiles after `after`, in ID order: export pages. */
export const profilesPage = (after: string, limit: number): Statement => ({
  name: 'profilesPage',
  cypher: PROFILES_PAGE,
  params: { after, limit: int(limit) },
});

const PROFILE_IDS_PAGE = cypher`
  MATCH (p:Profile) WHERE p.id > $after
  RETURN p.id AS id ORDER BY id LIMIT $limit`;

/** Up to `limit` profile IDs ever issued (live or retired) after `after`, in ID order (column `id`). */
export const profileIdsPage = (after: string, limit: number): Statement => ({
  name: 'profileIdsPage',
  cypher: PROFILE_IDS_PAGE,
  params: { after, limit: int(limit) },
});

const PROFILES_CHANGED_SINCE = cypher`
  MATCH (p:Profile) WHERE p.changed > $commit
  RETURN p.id AS id`;

/**
 * The profiles (live or retired) a commit after `commit` touched (column `id`), found on the
 * `Profile.changed` index: as many rows as changed, however large the graph.
 */
export const profilesChangedSince = (commit: number): Statement => ({
  name: 'profilesChangedSince',
  cypher: PROFILES_CHANGED_SINCE,
  params: { commit: int(commit) },
});
