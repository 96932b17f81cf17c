/**
 * What every AudienceStorage (store/graph-store.ts) does, as `it` blocks a suite declares for its
 * adapter: test/unit/store/audience-files.test.ts for the embedded store's files, and
 * test/graph/neo4j-store.test.ts for Neo4j, so both are held to the same behaviour.
 */
import { expect, it } from 'vitest';
import type { AudienceDefinition, SavedSegment } from '../../src/core/audience/definitions.js';
import type { AudienceMember } from '../../src/core/audience/members.js';
import type { AudienceStorage } from '../../src/store/graph-store.js';

export interface OpenedStorage {
  readonly storage: AudienceStorage;
  close(): Promise<void>;
}

/** More members than two Neo4j chunks hold, so reading back crosses chunk boundaries. */
export const MANY = 4_500;

export function definitionOf(id: string, rows: number, extra: Partial<AudienceDefinition> = {}): AudienceDefinition {
  return {
    id,
    name: `Audience ${id}`,
    createdAt: '2026-03-01T10:00:00.000Z',
    suppress: [],
    rows,
    rowsRejected: 0,
    rejectedByReason: {},
    ...extra,
  };
}

/** Members of every kind, lines 1..count, raw identifiers with characters JSON must escape. */
export function membersOf(count: number, tag = 'a'): AudienceMember[] {
  return Array.from({ length: count }, (_, index): AudienceMember => {
    const line = index + 1;
    if (line % 3 === 0) return { kind: 'profile', line, profileId: `p_${tag}${line}` };
    if (line % 3 === 1) return { kind: 'record', line, ref: `crm:${tag}${line}` };
    return { kind: 'identifiers', line, values: { email: `"${tag}.${line}"@x.co`, first_name: 'Zoë\n' } };
  });
}

async function collect(members: AsyncIterable<AudienceMember[]>): Promise<AudienceMember[]> {
  const all: AudienceMember[] = [];
  for await (const batch of members) all.push(...batch);
  return all;
}

const segmentOf = (id: string, actors: readonly string[]): SavedSegment => ({
  id,
  name: `Segment ${id}`,
  conditions: [{ kind: 'attribute', name: 'country', op: 'is', value: 'GB' }],
  audit: actors.map((actor, n) => ({
    at: `2026-03-0${n + 1}T00:00:00.000Z`,
    actor,
    action: n ? 'changed' : 'created',
  })),
  resolvedCommit: actors.length,
  resolvedAt: '2026-03-02T00:00:00.000Z',
});

export function audienceStorageBehaviour(open: () => Promise<OpenedStorage>): void {
  it('knows no audience or segment at first', async () => {
    const { storage, close } = await open();
    try {
      expect(await storage.audiences()).toEqual([]);
      expect(await storage.audience('spring')).toBeUndefined();
      expect(await collect(storage.audienceMembers('spring'))).toEqual([]);
      expect(await storage.dropAudienceRows('spring', new Set([1]))).toBe(0);
      expect(await storage.removeAudience('spring')).toBe(false);
      expect(await storage.segments()).toEqual([]);
      expect(await storage.segment('spring')).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('creates audiences, lists them in id order, and gives their members back in the order written', async () => {
    const { storage, close } = await open();
    try {
      const members = membersOf(MANY);
      const spring = definitionOf('spring', MANY + 2, { rowsRejected: 2, rejectedByReason: { NO_MEMBER_COLUMNS: 2 } });
      expect(await storage.putAudience(spring, members, { replace: false })).toBe(true);
      expect(await storage.putAudience(definitionOf('autumn', 0), [], { replace: false })).toBe(true);
      expect(await storage.audience('spring')).toEqual(spring);
      expect((await storage.audiences()).map((audience) => audience.id)).toEqual(['autumn', 'spring']);
      expect(await collect(storage.audienceMembers('spring'))).toEqual(members);
      expect(await collect(storage.audienceMembers('autumn'))).toEqual([]);

      // Not replaced unless asked: the first one stays whole.
      const other = definitionOf('spring', 1, { name: 'Other' });
      expect(await storage.putAudience(other, membersOf(1, 'b'), { replace: false })).toBe(false);
      expect(await storage.audience('spring')).toEqual(spring);
      expect(await collect(storage.audienceMembers('spring'))).toEqual(members);
    } finally {
      await close();
    }
  });

  it('replaces an audience whole: the new definition and only the new members', async () => {
    const { storage, close } = await open();
    try {
      await storage.putAudience(definitionOf('spring', MANY), membersOf(MANY), { replace: false });
      const smaller = definitionOf('spring', 2_100, { name: 'Spring, again', suppress: ['autumn'] });
      expect(await storage.putAudience(smaller, membersOf(2_100, 'b'), { replace: true })).toBe(true);
      expect(await storage.audience('spring')).toEqual(smaller);
      expect(await collect(storage.audienceMembers('spring'))).toEqual(membersOf(2_100, 'b'));
      expect(await storage.audiences()).toEqual([smaller]);
    } finally {
      await close();
    }
  });

  it('drops member rows by line for an erasure, lowering the row count, and keeps the others in order', async () => {
    const { storage, close } = await open();
    try {
      const members = membersOf(MANY);
      await storage.putAudience(definitionOf('spring', MANY + 1, { rowsRejected: 1 }), members, { replace: false });
      // Lines in the first, second and last chunk, and one no member has.
      const gone = new Set([2, 2_001, MANY, MANY + 7]);
      expect(await storage.dropAudienceRows('spring', gone)).toBe(3);
      expect((await storage.audience('spring'))?.rows).toBe(MANY + 1 - 3);
      expect(await collect(storage.audienceMembers('spring'))).toEqual(members.filter((m) => !gone.has(m.line)));
      expect(await storage.dropAudienceRows('spring', gone)).toBe(0);
      expect((await storage.audience('spring'))?.rows).toBe(MANY + 1 - 3);
    } finally {
      await close();
    }
  });

  it('keeps saved segments with their audit trail, and removes an audience with the segment of its id', async () => {
    const { storage, close } = await open();
    try {
      await storage.putSegment(segmentOf('gb', ['user:ann']));
      await storage.putSegment(segmentOf('all-gb', ['user:bob']));
      await storage.putSegment(segmentOf('gb', ['user:ann', 'user:bob']));
      expect(await storage.segment('gb')).toEqual(segmentOf('gb', ['user:ann', 'user:bob']));
      expect((await storage.segments()).map((segment) => segment.id)).toEqual(['all-gb', 'gb']);

      await storage.putAudience(definitionOf('gb', MANY), membersOf(MANY), { replace: false });
      await storage.putAudience(definitionOf('spring', 1), membersOf(1), { replace: false });
      expect(await storage.removeAudience('gb')).toBe(true);
      expect(await storage.audience('gb')).toBeUndefined();
      expect(await collect(storage.audienceMembers('gb'))).toEqual([]);
      expect(await storage.segment('gb')).toBeUndefined();
      expect((await storage.segments()).map((segment) => segment.id)).toEqual(['all-gb']);
      expect((await storage.audiences()).map((audience) => audience.id)).toEqual(['spring']);
      expect(await storage.removeAudience('gb')).toBe(false);
      // The id is free again.
      expect(await storage.putAudience(definitionOf('gb', 1), membersOf(1), { replace: false })).toBe(true);
    } finally {
      await close();
    }
  });
}
