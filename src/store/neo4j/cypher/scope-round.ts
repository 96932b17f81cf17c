/**
 * One round of finding a commit's scope in one statement (GraphCommits.scopeRound): the holders of
 * some identifiers and the members of some blocks, as identifierHolders and blockMembers give them,
 * with the data of what the next round reads: each holder's profile and its records' data, and each
 * block member's data, less what the caller has already. A scope round used to take two trips, one
 * for these lists and one for the records and profiles they name; under load each trip waits its turn
 * on a busy server.
 */
import type { FetchAhead } from '../../graph-store.js';
import { blockMembersOf } from './blocks.js';
import { holdingOf } from './identifiers.js';
import { cypher, int, type Statement } from './statement.js';

const SCOPE_ROUND = cypher`
  CALL () {
    ${holdingOf('$keys')}
  }
  CALL () {
    ${blockMembersOf('$blocks')}
  }
  CALL (holding) {
    UNWIND [held IN holding WHERE size(held.refs) <= $mostHolders] AS held
    UNWIND held.refs AS ref
    WITH DISTINCT ref
    WHERE NOT ref IN $haveProfiles
    MATCH (:Record {ref: ref})<-[:HAS_RECORD]-(p:Profile)
    WITH DISTINCT p
    CALL (p) {
      OPTIONAL MATCH (p)-[h:HAS_RECORD]->(r:Record)
      WITH h, r ORDER BY h.i
      RETURN collect(r.ref) AS records, collect(CASE WHEN r.ref IN $haveRecords THEN null ELSE r.data END) AS data
    }
    RETURN collect({id: p.id, live: p.retired = false, seq: p.seq, edges: p.edges, records: records, data: data})
      AS profiles
  }
  CALL (members) {
    UNWIND members AS block
    UNWIND block.refs AS ref
    WITH DISTINCT ref
    WHERE NOT ref IN $haveRecords
    MATCH (r:Record {ref: ref})
    RETURN collect([r.ref, r.data]) AS memberData
  }
  RETURN holding, members, profiles, memberData`;

/**
 * Columns `holding` ({key, refs, shared} for each key with a node), `members` ({key, refs} for each
 * block with members), `profiles` (the profile of each holder not in `haveProfiles`, of identifiers
 * held by at most `mostHolders`: {id, live, seq, edges, records, data}, data null for a record in
 * `haveRecords`), and `memberData` ([ref, data] of each block member not in `haveRecords`).
 */
export const scopeRound = (keys: readonly string[], blocks: readonly string[], ahead: FetchAhead): Statement => ({
  name: 'scopeRound',
  cypher: SCOPE_ROUND,
  params: {
    keys: [...new Set(keys)],
    blocks: [...new Set(blocks)],
    mostHolders: int(ahead.mostHolders),
    haveRecords: [...ahead.haveRecords],
    haveProfiles: [...ahead.haveProfiles],
  },
});
