/**
 * (:Block {key}): a fuzzy rule's blocking key, linked from the records under it by IN_BLOCK {commit, n}
 * (records.ts writes the links with the records); records in one block are compared. Blocks depend on
 * the rules, so a rules change replaces them all.
 */
import type { ChangeSet } from '../../graph-store.js';
import { type Batches, batched, cypher, type Statement } from './statement.js';

const DROP_ALL_BLOCKS = cypher`
  MATCH (b:Block) DETACH DELETE b`;

/** A new rule set brings new blocking keys for every record (the commit's upserts carry them). */
export const dropAllBlocks = (): Statement => ({ name: 'dropAllBlocks', cypher: DROP_ALL_BLOCKS, params: {} });

const UNLINK_STALE_BLOCKS = cypher`
  UNWIND $rows AS row
  MATCH (r:Record {ref: row.ref})-[x:IN_BLOCK]->(b:Block)
  WHERE b.key IN row.keys
  DELETE x`;

/** The blocking keys updated records had before and no longer have. */
export const unlinkStaleBlocks = (stale: ChangeSet['staleBlockKeys']): Batches =>
  batched(
    'unlinkStaleBlocks',
    UNLINK_STALE_BLOCKS,
    (stale ?? []).filter(({ keys }) => keys.length > 0),
  );

/** Each key of the list parameter `keys` with members (`key`), and its members in member order (`refs`). */
const membersByKey = (keys: string): string => cypher`
  UNWIND ${keys} AS key
  MATCH (:Block {key: key})<-[x:IN_BLOCK]-(r:Record)
  WITH key, x, r ORDER BY x.commit, x.n
  WITH key, collect(r.ref) AS refs`;

const BLOCK_MEMBERS = cypher`
  ${membersByKey('$keys')}
  RETURN key, refs`;

/** blockMembers' rows as one list, `members` ({key, refs}): for a statement of several parts. */
export const blockMembersOf = (keys: string): string => cypher`
  ${membersByKey(keys)}
  RETURN collect({key: key, refs: refs}) AS members`;

/** The records under each blocking key, in member order (columns `key`, `refs`). */
export const blockMembers = (keys: readonly string[]): Statement => ({
  name: 'blockMembers',
  cypher: BLOCK_MEMBERS,
  params: { keys: [...new Set(keys)] },
});
