/**
 * The GraphStore on Neo4j. The graph a Cypher user sees (graph/README.md):
 *   (:Profile {id, seq, retired, mergedInto, edges})-[:HAS_RECORD {i}]->(:Record {ref, source, recordId, ts, data})
 *   (:Record)-[:HAS_IDENTIFIER]->(:Identifier {key, type, matchKey, shared})
 *   (:Record)-[:IN_BLOCK]->(:Block {key})
 *   (:Event {id, kind, at, actor, rule, data})-[:CHANGED]->(:Profile)
 *   (:Decision {id, kind, actor, at, refs, data}), (:Meta {id: 'meta', lastCommit, rulesVersion, rulesText})
 * Bodies the engine reads whole (a record's canonical values, a profile's merge edges, an event) are
 * JSON strings; what queries follow or filter on is nodes, relationships and properties. Each batch
 * read is one query (UNWIND $keys), and answers come back in the order the embedded store gives, so
 * the engine resolves the same way on either store.
 */
import neo4j from 'neo4j-driver';
import { decodeRecord } from '../../codec/record-codec.js';
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { PreparedRecord, RecordRef } from '../../core/resolve/types.js';
import type { ChangeSet, DecisionEntry, GraphStore, ProfileLookup, StoredProfile } from '../graph-store.js';
import { inOrder } from '../in-order.js';
import { Neo4jConnection, type Neo4jSettings } from './connection.js';
import { applyMigrations, readMigrations, verifyConstraints } from './migrations.js';
import { writeChange } from './write-change.js';

const PAGE = 5_000;

/** Returns a profile's fields, with its members in their stored order. */
/** A matched profile `p`'s records, in their order, as `records`. */
const PROFILE_RECORDS = `
  OPTIONAL MATCH (p)-[h:HAS_RECORD]->(r:Record)
  WITH p, h, r ORDER BY h.i
  WITH p, [ref IN collect(r.ref) WHERE ref IS NOT NULL] AS records`;

const PROFILE_FIELDS = `${PROFILE_RECORDS}
  RETURN p.id AS id, p.seq AS seq, p.edges AS edges, records`;

export class Neo4jStore implements GraphStore {
  private closed = false;

  private constructor(private readonly db: Neo4jConnection) {}

  /**
   * Connects, applies graph/migrations (idempotent; unless settings.migrate is false), checks the
   * constraints are in place, and returns the store; a StoreError says what is wrong and what to do.
   */
  static async open(settings: Neo4jSettings): Promise<Neo4jStore> {
    const connection = await Neo4jConnection.open(settings);
    try {
      const migrations = settings.migrate === false ? await readMigrations() : await applyMigrations(connection);
      await verifyConstraints(connection, migrations);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return new Neo4jStore(connection);
  }

  async lastCommit(): Promise<number> {
    const rows = await this.query(`OPTIONAL MATCH (m:Meta {id: 'meta'}) RETURN coalesce(m.lastCommit, 0) AS last`);
    return Number(rows[0]?.last ?? 0);
  }

  async getRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, PreparedRecord>> {
    const encoded = await this.getEncodedRecords(refs);
    return inOrder(refs, (ref) => {
      const data = encoded.get(ref);
      return data === undefined ? undefined : decodeRecord(ref, data);
    });
  }

  async getEncodedRecords(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    const rows = await this.query(
      'UNWIND $refs AS ref MATCH (r:Record {ref: ref}) RETURN r.ref AS ref, r.data AS data',
      { refs: [...new Set(refs)] },
    );
    const byRef = new Map(rows.map((row) => [row.ref as string, row.data as string]));
    return inOrder(refs, (ref) => byRef.get(ref));
  }

  async holdersOf(identifiers: readonly string[]): Promise<Map<string, RecordRef[]>> {
    return this.members(
      identifiers,
      `UNWIND $keys AS key
       MATCH (:Identifier {key: key})<-[x:HAS_IDENTIFIER]-(r:Record)
       WITH key, x, r ORDER BY x.commit, x.n
       RETURN key, collect(r.ref) AS refs`,
    );
  }

  async blockMembers(blockKeys: readonly string[]): Promise<Map<string, RecordRef[]>> {
    return this.members(
      blockKeys,
      `UNWIND $keys AS key
       MATCH (:Block {key: key})<-[x:IN_BLOCK]-(r:Record)
       WITH key, x, r ORDER BY x.commit, x.n
       RETURN key, collect(r.ref) AS refs`,
    );
  }

  async profileIdsOf(refs: readonly RecordRef[]): Promise<Map<RecordRef, string>> {
    const rows = await this.query(
      'UNWIND $refs AS ref MATCH (p:Profile)-[:HAS_RECORD]->(:Record {ref: ref}) RETURN ref, p.id AS id',
      { refs: [...new Set(refs)] },
    );
    const byRef = new Map(rows.map((row) => [row.ref as string, row.id as string]));
    return inOrder(refs, (ref) => byRef.get(ref));
  }

  async getProfiles(ids: readonly string[]): Promise<Map<string, StoredProfile>> {
    const rows = await this.query(
      `UNWIND $ids AS id MATCH (p:Profile {id: id}) WHERE p.retired = false ${PROFILE_FIELDS}`,
      { ids: [...new Set(ids)] },
    );
    const byId = new Map(rows.map((row) => [row.id as string, toProfile(row)]));
    return inOrder(ids, (id) => byId.get(id));
  }

  async profileRecords(ids: readonly string[]): Promise<Map<string, readonly RecordRef[]>> {
    const rows = await this.query(
      `UNWIND $ids AS id MATCH (p:Profile {id: id}) WHERE p.retired = false ${PROFILE_RECORDS}
       RETURN p.id AS id, records`,
      { ids: [...new Set(ids)] },
    );
    const byId = new Map(rows.map((row) => [row.id as string, row.records as RecordRef[]]));
    return inOrder(ids, (id) => byId.get(id));
  }

  async existingProfileIds(ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.query('UNWIND $ids AS id MATCH (p:Profile {id: id}) RETURN id', { ids: [...new Set(ids)] });
    const found = new Set(rows.map((row) => row.id as string));
    return new Set(ids.filter((id) => found.has(id)));
  }

  async sharedIdentifiers(identifiers: readonly string[]): Promise<Set<string>> {
    const rows = await this.query(
      'UNWIND $keys AS key MATCH (i:Identifier {key: key}) WHERE i.shared = true RETURN key',
      { keys: [...new Set(identifiers)] },
    );
    const found = new Set(rows.map((row) => row.key as string));
    return new Set(identifiers.filter((key) => found.has(key)));
  }

  async sharedCount(): Promise<number> {
    const rows = await this.query('MATCH (i:Identifier) WHERE i.shared = true RETURN count(i) AS n');
    return Number(rows[0]?.n ?? 0);
  }

  async decisionsFor(refs: readonly RecordRef[]): Promise<DecisionEntry[]> {
    // Manual decisions are few; a scan with a list filter is cheaper than keeping edges to records.
    const rows = await this.query(
      `MATCH (d:Decision) WHERE any(ref IN d.refs WHERE ref IN $refs)
       RETURN d.data AS data ORDER BY d.commit, d.n`,
      { refs: [...new Set(refs)] },
    );
    return rows.map((row) => JSON.parse(row.data as string) as DecisionEntry);
  }

  async currentRules(): Promise<{ version: string; text: string } | undefined> {
    const rows = await this.query(
      `MATCH (m:Meta {id: 'meta'}) WHERE m.rulesText IS NOT NULL
       RETURN m.rulesVersion AS version, m.rulesText AS text`,
    );
    const row = rows[0];
    return row ? { version: row.version as string, text: row.text as string } : undefined;
  }

  async commit(change: ChangeSet): Promise<void> {
    await this.db.write((tx) => writeChange(tx, change), { commit: change.commit });
  }

  async findProfile(id: string): Promise<ProfileLookup | undefined> {
    // Follows mergedInto to the live survivor: one query, chains are short (one hop per merge).
    const rows = await this.query(
      `MATCH (start:Profile {id: $id})
       CALL (start) {
         MATCH path = (start)-[:MERGED_INTO*0..1000]->(p:Profile)
         WHERE p.retired = false OR p.mergedInto IS NULL
         RETURN p ORDER BY length(path) LIMIT 1
       }
       WITH p WHERE p.retired = false
       ${PROFILE_FIELDS}`,
      { id },
    );
    const row = rows[0];
    if (!row) return undefined;
    const profile = toProfile(row);
    return profile.id === id ? { profile } : { profile, redirectedFrom: id };
  }

  async currentProfileIds(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    // findProfile's walk for every ID at once: one statement, not a round trip per ID.
    const rows = await this.query(
      `UNWIND $ids AS id
       MATCH (start:Profile {id: id})
       CALL (start) {
         MATCH path = (start)-[:MERGED_INTO*0..1000]->(p:Profile)
         WHERE p.retired = false OR p.mergedInto IS NULL
         RETURN p ORDER BY length(path) LIMIT 1
       }
       WITH id, p WHERE p.retired = false
       RETURN id, p.id AS current`,
      { ids: [...new Set(ids)] },
    );
    return new Map(rows.map((row) => [row.id as string, row.current as string]));
  }

  async profileByIdentifier(identifier: string): Promise<StoredProfile | undefined> {
    const rows = await this.query(
      `MATCH (:Identifier {key: $key})<-[x:HAS_IDENTIFIER]-(:Record)<-[:HAS_RECORD]-(p:Profile)
       WITH p ORDER BY x.commit, x.n LIMIT 1
       ${PROFILE_FIELDS}`,
      { key: identifier },
    );
    const row = rows[0];
    return row ? toProfile(row) : undefined;
  }

  async eventsOf(profileId: string): Promise<ProfileEvent[]> {
    const rows = await this.query(
      `MATCH (e:Event)-[:CHANGED]->(:Profile {id: $id})
       RETURN e.data AS data ORDER BY e.commit, e.n`,
      { id: profileId },
    );
    return rows.map((row) => JSON.parse(row.data as string) as ProfileEvent);
  }

  async event(id: string): Promise<ProfileEvent | undefined> {
    const rows = await this.query('MATCH (e:Event {id: $id}) RETURN e.data AS data', { id });
    const data = rows[0]?.data;
    return data === undefined ? undefined : (JSON.parse(data as string) as ProfileEvent);
  }

  async *profiles(): AsyncIterable<StoredProfile> {
    let after = '';
    for (;;) {
      const rows = await this.query(
        `MATCH (p:Profile) WHERE p.id > $after AND p.retired = false
         WITH p ORDER BY p.id LIMIT $limit
         ${PROFILE_FIELDS} ORDER BY id`,
        { after, limit: neo4j.int(PAGE) },
      );
      for (const row of rows) yield toProfile(row);
      if (rows.length < PAGE) return;
      after = rows.at(-1)?.id as string;
    }
  }

  async *records(): AsyncIterable<PreparedRecord> {
    let after = '';
    for (;;) {
      const rows = await this.query(
        'MATCH (r:Record) WHERE r.ref > $after RETURN r.ref AS ref, r.data AS data ORDER BY r.ref LIMIT $limit',
        { after, limit: neo4j.int(PAGE) },
      );
      for (const row of rows) yield decodeRecord(row.ref as string, row.data as string);
      if (rows.length < PAGE) return;
      after = rows.at(-1)?.ref as string;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }

  private async members(keys: readonly string[], statement: string): Promise<Map<string, RecordRef[]>> {
    const rows = await this.query(statement, { keys: [...new Set(keys)] });
    const byKey = new Map(rows.map((row) => [row.key as string, row.refs as RecordRef[]]));
    return inOrder(keys, (key) => {
      const refs = byKey.get(key);
      return refs && refs.length > 0 ? refs : undefined;
    });
  }

  /** Runs one read statement (auto-commit: one round trip) and returns its rows as plain objects. */
  private query(statement: string, parameters: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
    return this.db.readStatement(statement, parameters);
  }
}

function toProfile(row: Record<string, unknown>): StoredProfile {
  return {
    id: row.id as string,
    seq: Number(row.seq),
    records: row.records as RecordRef[],
    edges: JSON.parse((row.edges as string | null) ?? '[]'),
  };
}
