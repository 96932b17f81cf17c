/**
 * (:Identifier {key, type, matchKey, shared}): one node per identifier value, linked from the records
 * that hold it by HAS_IDENTIFIER {commit, n}, which orders its holders as the embedded index does
 * (records.ts writes the links with the records).
 */
import { splitIdentifierKey } from '../../../core/resolve/types.js';
import type { ChangeSet } from '../../graph-store.js';
import { type Batches, batched, cypher, type Statement } from './statement.js';

/** The key the engine looks up, and the same split in two for Cypher users. */
export interface IdentifierRow {
  readonly key: string;
  readonly type: string;
  readonly matchKey: string;
}

export function identifierRow(key: string): IdentifierRow {
  const { type, key: matchKey } = splitIdentifierKey(key);
  return { key, type, matchKey };
}

const MARK_SHARED = cypher`
  UNWIND $rows AS row
  MERGE (i:Identifier {key: row.key})
    ON CREATE SET i.type = row.type, i.matchKey = row.matchKey
  SET i.shared = row.shared`;

/** Values that became shared (several people hold them, so they no longer link records) or stopped being. */
export const markShared = (shared: ChangeSet['shared']): Batches =>
  batched(
    'markShared',
    MARK_SHARED,
    shared.map(({ identifier, shared }) => ({ ...identifierRow(identifier), shared })),
  );

const HOLDERS_OF = cypher`
  UNWIND $keys AS key
  MATCH (:Identifier {key: key})<-[x:HAS_IDENTIFIER]-(r:Record)
  WITH key, x, r ORDER BY x.commit, x.n
  RETURN key, collect(r.ref) AS refs`;

/** The records holding each identifier key, in holder order (columns `key`, `refs`). */
export const holdersOf = (keys: readonly string[]): Statement => ({
  name: 'holdersOf',
  cypher: HOLDERS_OF,
  params: { keys: [...new Set(keys)] },
});

/** Each key of the list parameter `keys` with a node (`key`, `i`), and its holders in holder order (`refs`). */
const holdersByKey = (keys: string): string => cypher`
  UNWIND ${keys} AS key
  MATCH (i:Identifier {key: key})
  CALL (i) {
    OPTIONAL MATCH (i)<-[x:HAS_IDENTIFIER]-(r:Record)
    WITH x, r ORDER BY x.commit, x.n
    RETURN collect(r.ref) AS refs
  }`;

const IDENTIFIER_HOLDERS = cypher`
  ${holdersByKey('$keys')}
  RETURN key, refs, coalesce(i.shared, false) AS shared`;

/** identifierHolders' rows as one list, `holding` ({key, refs, shared}): for a statement of several parts. */
export const holdingOf = (keys: string): string => cypher`
  ${holdersByKey(keys)}
  RETURN collect({key: key, refs: refs, shared: coalesce(i.shared, false)}) AS holding`;

/**
 * holdersOf and sharedAmong in one statement (columns `key`, `refs` in holder order, `shared`): a
 * row for each key with a node, held or not.
 */
export const identifierHolders = (keys: readonly string[]): Statement => ({
  name: 'identifierHolders',
  cypher: IDENTIFIER_HOLDERS,
  params: { keys: [...new Set(keys)] },
});

const SHARED_AMONG = cypher`
  UNWIND $keys AS key MATCH (i:Identifier {key: key}) WHERE i.shared = true RETURN key`;

/** Which of these identifier keys are shared (column `key`). */
export const sharedAmong = (keys: readonly string[]): Statement => ({
  name: 'sharedAmong',
  cypher: SHARED_AMONG,
  params: { keys: [...new Set(keys)] },
});

const SHARED_COUNT = cypher`
  MATCH (i:Identifier) WHERE i.shared = true RETURN count(i) AS n`;

/** How many identifier values are shared (column `n`). */
export const sharedCount = (): Statement => ({ name: 'sharedCount', cypher: SHARED_COUNT, params: {} });
