/**
 * One round of finding a commit's scope in one statement (GraphCommits.scopeRound): the holders of
 * some identifiers and the members of some blocks, as identifierHolders and blockMembers give them,
 * with the data of what the next round reads: each holder's profile and its records' data, and each
 * block member's data. A scope round used to take two trips, one for these lists and one for the
 * records and profiles they name; under load each trip waits its turn on a busy server.
 */
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
    MATCH (:Record {ref: ref})<-[:HAS_RECORD]-(p:Profile)
    WITH DISTINCT p
    CALL (p) {
      OPTIONAL MATCH (p)-[h:HAS_RECORD]->(r:Record)
      WITH h, r ORDER BY h.i
      RETURN collect(r.ref) AS records, collect(r.data) AS data
    }
    RETURN collect({id: p.id, live: p.retired = false, seq: p.seq, edges: p.edges, records: records, data: data})
      AS profiles
  }
  CALL (members) {
    UNWIND members AS block
    UNWIND block.refs AS ref
    WITH DISTINCT ref
    MATCH (r:Record {ref: ref})
    RETURN collect([r.ref, r.data]) AS memberData
  }
  RETURN holding, members, profiles, memberData`;

/**
 * Columns `holding` ({key, refs, shared} for each key with a node), `members` ({key, refs} for each
 * block with members), `profiles` (each holder's profile: {id, live, seq, edges, records, data}, of
 * identifiers held by at most `mostHolders`), and `memberData` ([ref, data] of each block member).
 */
export const scopeRound = (keys: readonly string[], blocks: readonly string[], mostHolders: number): Statement => ({
  name: 'scopeRound',
  cypher: SCOPE_ROUND,
  params: { keys: [...new Set(keys)], blocks: [...new Set(blocks)], mostHolders: int(mostHolders) },
});
