/**
 * A new profile never takes an ID a profile had before, whether its seed record is new to the graph
 * (its first-choice ID belonged to a profile since erased) or split off a profile that keeps that ID.
 * On a real embedded store.
 */
import { describe, expect, it, vi } from 'vitest';
import { firstProfileId } from '../../../src/core/resolve/profile-ids.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { engineOn, openEngine, profileOf, rulesFrom, storeOf } from '../../support/engine.js';
import { withStoreMethods } from '../../support/store-methods.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const crm = (id: string, email: string) => ({ customer_id: id, country: 'GB', email });

describe('new profile IDs', () => {
  it('skip an ID used before, for a record new to the graph and for one split off', async () => {
    const engine = await openEngine(await tempDir());
    const store = storeOf(engine);

    // crm:b founds its first-choice profile; erased, the ID stays issued.
    await engine.ingest('crm', [crm('b', 'bea@x.co')]);
    const first = await profileOf(store, 'crm:b');
    expect(first).toBe(firstProfileId('crm:b'));
    await engine.erase([first as string], { actor: 'test' });
    // Back as a new record: a profile of its own under another ID.
    await engine.ingest('crm', [crm('b', 'bea@x.co')]);
    const again = await profileOf(store, 'crm:b');
    expect(again).toBeDefined();
    expect(again).not.toBe(first);

    // crm:d founds a profile, crm:c (the smaller ref) joins it; when they part, the tie goes to
    // crm:c's side, which keeps the ID, and crm:d's new profile takes another.
    await engine.ingest('crm', [crm('d', 'dee@x.co')]);
    const shared = await profileOf(store, 'crm:d');
    expect(shared).toBe(firstProfileId('crm:d'));
    await engine.ingest('crm', [crm('c', 'dee@x.co')]);
    expect(await profileOf(store, 'crm:c')).toBe(shared);
    await engine.ingest('crm', [crm('c', 'cee@x.co')]);
    expect(await profileOf(store, 'crm:c')).toBe(shared);
    const splitOff = await profileOf(store, 'crm:d');
    expect(splitOff).toBeDefined();
    expect(splitOff).not.toBe(shared);
    expect(splitOff).not.toBe(again);
    await store.close();
  });

  it("are asked about with the scope's decisions, not in a round trip after resolution", async () => {
    const store = await EmbeddedStore.open(await tempDir());
    const asked: string[][] = [];
    let releaseDecisions: (() => void) | undefined;
    const gated = withStoreMethods(store, {
      decisionsFor: async (decisionsFor, refs) => {
        await new Promise<void>((release) => {
          releaseDecisions = release;
        });
        return decisionsFor(refs);
      },
      existingProfileIds: (existingProfileIds, ids) => {
        asked.push([...ids]);
        return existingProfileIds(ids);
      },
    });
    const engine = engineOn(gated, rulesFrom());
    const ingested = engine.ingest('crm', [crm('a', 'ann@x.co'), crm('b', 'bob@x.co')]);
    await vi.waitFor(() => expect(releaseDecisions).toBeDefined());
    // The decisions are not in yet, and the new profiles' IDs were asked about already.
    expect(asked).toEqual([expect.arrayContaining([firstProfileId('crm:a'), firstProfileId('crm:b')])]);
    releaseDecisions?.();
    await ingested;
    expect(asked).toHaveLength(1);
    expect(await profileOf(store, 'crm:a')).toBe(firstProfileId('crm:a'));
    await store.close();
  });
});
