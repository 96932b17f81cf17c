/**
 * The Neo4j store's audiences (graph-store.ts, AudienceStorage; the model is cypher/audiences.ts).
 * Members go in chunk nodes of a new version, written a few chunks per transaction; one more
 * transaction checks they are all there and points the audience at them, so readers see the old
 * members or the new ones, never a mix; the old version's chunks are deleted after. A reader pages
 * through the version it started on, and is refused (STORE_CONFLICT) if a replace deletes it midway.
 */
import { randomUUID } from 'node:crypto';
import type { ManagedTransaction } from 'neo4j-driver';
import type { AudienceDefinition, SavedSegment } from '../../core/audience/definitions.js';
import type { AudienceMember } from '../../core/audience/members.js';
import type { AudienceStorage } from '../graph-store.js';
import { StoreError } from '../store-error.js';
import { type Neo4jConnection, run } from './connection.js';
import {
  audience,
  audienceChunks,
  audienceChunksPage,
  audiences,
  audienceVersion,
  countAudienceChunks,
  deleteAudienceChunks,
  lockAudience,
  lockExistingAudience,
  MEMBERS_PER_CHUNK,
  putSegment,
  removeAudience,
  rewriteAudienceChunks,
  segment,
  segments,
  sweepAudienceChunks,
  switchAudience,
  writeAudienceChunks,
} from './cypher/audiences.js';

/** Chunks per write transaction (20,000 members) and per read page. */
const CHUNKS_PER_TRANSACTION = 10;
/** Chunks deleted per transaction when a version goes. */
const CHUNKS_PER_DELETE = 50;
/**
 * Unreferenced chunks younger than this may be a write under way on another instance: a sweep
 * leaves them (a million members are written in well under a minute).
 */
const ABANDONED_AFTER_MS = 15 * 60_000;
/** An erasure that keeps meeting replaces gives up after this many scans. */
const DROP_ATTEMPTS = 5;

type Chunk = { n: number; members: string[] };

export class Neo4jAudiences implements AudienceStorage {
  constructor(
    private readonly db: Neo4jConnection,
    private readonly clock: () => number = Date.now,
  ) {}

  async audience(id: string): Promise<AudienceDefinition | undefined> {
    const row = (await this.db.readStatement(audience(id)))[0];
    return row?.data ? (JSON.parse(row.data as string) as AudienceDefinition) : undefined;
  }

  async audiences(): Promise<AudienceDefinition[]> {
    const rows = await this.db.readStatement(audiences());
    return rows.filter((row) => row.data).map((row) => JSON.parse(row.data as string) as AudienceDefinition);
  }

  async putAudience(
    definition: AudienceDefinition,
    members: Iterable<AudienceMember>,
    options: { readonly replace: boolean },
  ): Promise<boolean> {
    const { id } = definition;
    if (!options.replace && (await this.audience(id))) return false;
    await this.sweep();
    const version = randomUUID();
    let chunks = 0;
    let switched: { previous: string } | undefined;
    try {
      let pending: Chunk[] = [];
      const flush = async () => {
        const batch = pending;
        pending = [];
        if (batch.length > 0) {
          await this.db.write((tx) => run(tx, writeAudienceChunks(id, version, batch, this.clock())), {
            audience: id,
          });
        }
      };
      let chunk: string[] = [];
      for (const member of members) {
        chunk.push(JSON.stringify(member));
        if (chunk.length === MEMBERS_PER_CHUNK) {
          pending.push({ n: chunks++, members: chunk });
          chunk = [];
          if (pending.length === CHUNKS_PER_TRANSACTION) await flush();
        }
      }
      if (chunk.length > 0) pending.push({ n: chunks++, members: chunk });
      await flush();
      switched = await this.db.write((tx) => this.switchTo(tx, definition, version, chunks, options.replace), {
        audience: id,
      });
    } finally {
      // Not switched to (refused, or failed): the chunks written go; switched: the old version's.
      await this.deleteVersion(id, switched ? switched.previous : version).catch(() => undefined);
    }
    return switched !== undefined;
  }

  /** Under the audience's lock: undefined when it exists and may not be replaced. */
  private async switchTo(
    tx: ManagedTransaction,
    definition: AudienceDefinition,
    version: string,
    chunks: number,
    replace: boolean,
  ): Promise<{ previous: string } | undefined> {
    const [locked] = await run(tx, lockAudience(definition.id, this.clock()));
    const previous = (locked?.get('version') as string | null) ?? '';
    if (previous !== '' && !replace) return undefined;
    const [counted] = await run(tx, countAudienceChunks(definition.id, version));
    if (Number(counted?.get('chunks') ?? 0) !== chunks) {
      throw new StoreError(
        'STORE_CONFLICT',
        `members of audience "${definition.id}" went missing while they were written; write the audience again`,
      );
    }
    await run(tx, switchAudience(definition, version, chunks));
    return { previous };
  }

  async *audienceMembers(id: string): AsyncIterable<AudienceMember[]> {
    for await (const chunk of this.chunks(id)) yield chunk.members.map((text) => JSON.parse(text) as AudienceMember);
  }

  /** The chunks of the version in force when the read began, in order. */
  private async *chunks(id: string): AsyncIterable<Chunk & { version: string }> {
    const row = (await this.db.readStatement(audienceVersion(id)))[0];
    const version = row?.version as string | undefined;
    if (!version) return;
    const total = Number(row?.chunks ?? 0);
    const replaced = () =>
      new StoreError('STORE_CONFLICT', `audience "${id}" was replaced while it was read; ask again`);
    for (let next = 0; next < total; ) {
      const rows = await this.db.readStatement(audienceChunksPage(id, version, next, CHUNKS_PER_TRANSACTION));
      if (rows.length === 0) throw replaced();
      for (const page of rows) {
        if (Number(page.n) !== next) throw replaced();
        yield { n: next, members: page.members as string[], version };
        next++;
      }
    }
  }

  async dropAudienceRows(id: string, lines: ReadonlySet<number>): Promise<number> {
    await this.sweep();
    for (let attempt = 1; ; attempt++) {
      // Which chunks hold the rows, found outside any transaction; rewritten under the lock.
      const found: number[] = [];
      let version: string | undefined;
      try {
        for await (const chunk of this.chunks(id)) {
          version = chunk.version;
          if (chunk.members.some((text) => lines.has((JSON.parse(text) as AudienceMember).line))) found.push(chunk.n);
        }
      } catch (error) {
        if (error instanceof StoreError && error.code === 'STORE_CONFLICT' && attempt < DROP_ATTEMPTS) continue;
        throw error;
      }
      if (version === undefined || found.length === 0) return 0;
      const scanned = version;
      const dropped = await this.db.write((tx) => this.rewrite(tx, id, scanned, found, lines), { audience: id });
      if (dropped !== undefined) return dropped;
      if (attempt >= DROP_ATTEMPTS) {
        throw new StoreError('STORE_CONFLICT', `audience "${id}" kept being replaced during an erasure; erase again`);
      }
    }
  }

  /** Under the lock: undefined when the audience moved to another version since the scan. */
  private async rewrite(
    tx: ManagedTransaction,
    id: string,
    version: string,
    ns: readonly number[],
    lines: ReadonlySet<number>,
  ): Promise<number | undefined> {
    const [locked] = await run(tx, lockExistingAudience(id, this.clock()));
    if (!locked || locked.get('version') !== version) return undefined;
    const definition = JSON.parse(locked.get('data') as string) as AudienceDefinition;
    let dropped = 0;
    const chunks: Chunk[] = [];
    for (const record of await run(tx, audienceChunks(id, version, ns))) {
      const before = record.get('members') as string[];
      const kept = before.filter((text) => !lines.has((JSON.parse(text) as AudienceMember).line));
      dropped += before.length - kept.length;
      chunks.push({ n: Number(record.get('n')), members: kept });
    }
    if (dropped > 0) await run(tx, rewriteAudienceChunks({ ...definition, rows: definition.rows - dropped }, chunks));
    return dropped;
  }

  async removeAudience(id: string): Promise<boolean> {
    const rows = await this.db.write((tx) => run(tx, removeAudience(id)), { audience: id });
    const version = rows[0]?.get('version') as string | null | undefined;
    if (version) await this.deleteVersion(id, version);
    return rows.length > 0;
  }

  async segment(id: string): Promise<SavedSegment | undefined> {
    const row = (await this.db.readStatement(segment(id)))[0];
    return row ? (JSON.parse(row.data as string) as SavedSegment) : undefined;
  }

  async segments(): Promise<SavedSegment[]> {
    const rows = await this.db.readStatement(segments());
    return rows.map((row) => JSON.parse(row.data as string) as SavedSegment);
  }

  async putSegment(saved: SavedSegment): Promise<void> {
    await this.db.write((tx) => run(tx, putSegment(saved)), { segment: saved.id });
  }

  private async deleteVersion(id: string, version: string): Promise<void> {
    if (version === '') return;
    for (;;) {
      const [row] = await this.db.write((tx) => run(tx, deleteAudienceChunks(id, version, CHUNKS_PER_DELETE)), {
        audience: id,
      });
      if (Number(row?.get('deleted') ?? 0) < CHUNKS_PER_DELETE) return;
    }
  }

  /** Removes chunks abandoned by a process that died mid-write: members are personal data. */
  private async sweep(): Promise<void> {
    const before = this.clock() - ABANDONED_AFTER_MS;
    for (;;) {
      const [row] = await this.db.write((tx) => run(tx, sweepAudienceChunks(before, CHUNKS_PER_DELETE)), {
        sweep: 'audiences',
      });
      if (Number(row?.get('deleted') ?? 0) < CHUNKS_PER_DELETE) return;
    }
  }
}
