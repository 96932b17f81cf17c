/**
 * A new profile never takes an ID a profile had before, whether its seed record is new to the graph
 * (its first-choice ID belonged to a profile since erased) or split off a profile that keeps that ID.
 * On a real embedded store.
 */
import { describe, expect, it } from 'vitest';
import { firstProfileId } from '../../../src/core/resolve/profile-ids.js';
import { openEngine, profileOf, storeOf } from '../../support/engine.js';
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
});
