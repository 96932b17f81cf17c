import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_TEXT, openEngine, partition, profileOf, rulesFrom, storeOf } from '../../support/engine.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const crm = (id: string, fields: Record<string, string>) => ({ customer_id: id, country: 'GB', ...fields });

describe('Engine', () => {
  it('merges records across sources by normalized identifiers, and keeps history', async () => {
    const engine = await openEngine(await tempDir());
    const first = await engine.ingest('crm', [
      crm('c1', { email: 'Ann.Lee@GoogleMail.com', first_name: 'Ann', last_name: 'Lee' }),
      crm('c2', { email: 'bob@example.org' }),
    ]);
    expect(first).toMatchObject({ accepted: 2, profilesCreated: 2, merges: 0 });
    // bob@example.org is a documentation domain: refused as junk, so c2 has no identifier.
    expect(first.refusals).toContainEqual({ field: 'email', reason: 'JUNK_VALUE' });

    const second = await engine.ingest('web', [{ session_id: 's1', cookie_id: 'ck1', email: 'annlee+shop@gmail.com' }]);
    expect(second.profilesCreated).toBe(0);
    const store = storeOf(engine);
    const annProfile = await profileOf(store, 'crm:c1');
    expect(await profileOf(store, 'web:s1')).toBe(annProfile);
    expect(await partition(store)).toEqual([['crm:c1', 'web:s1'], ['crm:c2']]);

    const history = await store.eventsOf(annProfile as string);
    expect(history.map((event) => event.kind)).toEqual(['profile_created', 'records_added']);
    expect(history[1]).toMatchObject({ rule: 'email', actor: 'engine', rulesVersion: engine.readSide().rules.version });
    expect(history[1]?.evidence[0]?.evidence).toEqual([{ field: 'email', values: ['annlee@gmail.com'] }]);
    await store.close();
  });

  it('updates a record on re-ingest instead of duplicating it, and does nothing when it is unchanged', async () => {
    const engine = await openEngine(await tempDir());
    await engine.ingest('crm', [crm('c1', { email: 'ann@x.co' }), crm('c2', { email: 'ann@x.co' })]);
    const again = await engine.ingest('crm', [crm('c1', { email: 'ann@x.co' })]);
    expect(again).toMatchObject({ accepted: 1, unchanged: 1, commit: undefined });

    const changed = await engine.ingest('crm', [crm('c2', { email: 'other@x.co' })]);
    expect(changed.splits).toBe(1);
    expect(await partition(storeOf(engine))).toEqual([['crm:c1'], ['crm:c2']]);
    let count = 0;
    for await (const _ of storeOf(engine).records()) count++;
    expect(count).toBe(2);
    await storeOf(engine).close();
  });

  it('rejects rows without a key and says where', async () => {
    const engine = await openEngine(await tempDir());
    const result = await engine.ingest('crm', [{ email: 'ann@x.co' }, crm('c1', {}), 'not an object']);
    expect(result.rejected).toEqual([
      { index: 0, reason: 'MISSING_KEY', field: 'customer_id' },
      { index: 2, reason: 'ROW_NOT_OBJECT' },
    ]);
    expect(result.accepted).toBe(1);
    await storeOf(engine).close();
  });

  it('splits profiles joined through a value that becomes shared, and says why', async () => {
    const engine = await openEngine(await tempDir());
    const phone = '020 7946 0123';
    await engine.ingest('app', [
      { install_id: 'i1', country: 'GB', phone, first_name: 'Anna', idfa: 'AECE52E7-03EE-455A-B3C4-E57283966239' },
      { install_id: 'i2', country: 'GB', first_name: 'Anna', idfa: 'AECE52E7-03EE-455A-B3C4-E57283966239' },
    ]);
    expect(await partition(storeOf(engine))).toEqual([['app:i1', 'app:i2']]);
    // A second person on the same tablet: the device ID becomes shared and stops linking.
    const result = await engine.ingest('app', [
      { install_id: 'i3', country: 'GB', first_name: 'Ben', idfa: 'aece52e7-03ee-455a-b3c4-e57283966239' },
    ]);
    expect(result.splits).toBe(1);
    expect(await partition(storeOf(engine))).toEqual([['app:i1'], ['app:i2'], ['app:i3']]);
    const split = storeOf(engine);
    const events = await split.eventsOf((await profileOf(split, 'app:i1')) as string);
    expect(events.at(-1)).toMatchObject({ kind: 'split', cause: 'shared_value' });
    await split.close();
  });

  it('keeps manual decisions through re-ingest and rule changes', async () => {
    const folder = await tempDir();
    let engine = await openEngine(folder);
    await engine.ingest('crm', [
      crm('c1', { email: 'ann@x.co' }),
      crm('c2', { email: 'ann@x.co' }),
      crm('c3', { email: 'zed@x.co' }),
    ]);
    const merged = await profileOf(storeOf(engine), 'crm:c1');

    await engine.neverLink('crm:c1', 'crm:c2', { actor: 'user:kim', note: 'different people' });
    expect(await partition(storeOf(engine))).toEqual([['crm:c1'], ['crm:c2'], ['crm:c3']]);
    // The oldest part keeps the ID.
    expect(await profileOf(storeOf(engine), 'crm:c1')).toBe(merged);

    await engine.link('crm:c2', 'crm:c3', { actor: 'user:kim' });
    expect(await partition(storeOf(engine))).toEqual([['crm:c1'], ['crm:c2', 'crm:c3']]);

    // Re-ingest and a restart change nothing.
    await engine.ingest('crm', [crm('c2', { email: 'ann@x.co', first_name: 'Bo' })]);
    await storeOf(engine).close();
    engine = await openEngine(folder);
    expect(await partition(storeOf(engine))).toEqual([['crm:c1'], ['crm:c2', 'crm:c3']]);

    // A rules change keeps them too.
    const looser = rulesFrom(DEFAULT_RULES_TEXT.replace('max_profile_records: 500', 'max_profile_records: 400'));
    const dryRun = await engine.planRules(looser);
    expect(dryRun.plan.events.filter((event) => event.kind === 'merge')).toEqual([]);
    await engine.applyRules(looser, 'user:kim');
    expect(await partition(storeOf(engine))).toEqual([['crm:c1'], ['crm:c2', 'crm:c3']]);
    const decisions = (await storeOf(engine).eventsOf(merged as string)).filter((e) => e.kind === 'decision_recorded');
    expect(decisions[0]).toMatchObject({ actor: 'user:kim', note: 'different people', rule: 'keep_apart' });
    await storeOf(engine).close();
  });

  it('links a pair once: a repeated link adds no decision, a link after a never-link replaces it', async () => {
    const engine = await openEngine(await tempDir());
    await engine.ingest('crm', [crm('c1', { email: 'ann@x.co' }), crm('c2', { email: 'bo@x.co' })]);
    const first = await engine.link('crm:c1', 'crm:c2', { actor: 'source:segment' });
    expect(first.commit).toBeGreaterThan(0);
    const commits = await storeOf(engine).lastCommit();
    const again = await engine.link('crm:c2', 'crm:c1', { actor: 'source:segment' });
    expect(again).toEqual({ commit: undefined, profilesCreated: 0, merges: 0, splits: 0 });
    expect(await storeOf(engine).lastCommit()).toBe(commits);
    expect(await storeOf(engine).decisionsFor(['crm:c1'])).toHaveLength(1);

    await engine.neverLink('crm:c1', 'crm:c2', { actor: 'user:kim' });
    expect(await partition(storeOf(engine))).toEqual([['crm:c1'], ['crm:c2']]);
    const relinked = await engine.link('crm:c1', 'crm:c2', { actor: 'user:kim' });
    expect(relinked.commit).toBeGreaterThan(commits);
    expect(await partition(storeOf(engine))).toEqual([['crm:c1', 'crm:c2']]);
  });

  it('unmerges a merge event and keeps the parts apart', async () => {
    const engine = await openEngine(await tempDir());
    await engine.ingest('crm', [crm('c1', { email: 'ann@x.co' })]);
    await engine.ingest('crm', [crm('c2', { phone: '020 7946 0777', first_name: 'Ann' })]);
    // One session carries c1's email; an app install then ties that email to c2's phone and name.
    await engine.ingest('web', [{ session_id: 's1', email: 'ann@x.co', cookie_id: 'GA1.2.77' }]);
    await engine.ingest('app', [{ install_id: 'i1', email: 'ann@x.co', phone: '+44 20 7946 0777', first_name: 'Ann' }]);
    expect(await partition(storeOf(engine))).toEqual([['app:i1', 'crm:c1', 'crm:c2', 'web:s1']]);
    const survivor = (await profileOf(storeOf(engine), 'crm:c1')) as string;
    const merge = (await storeOf(engine).eventsOf(survivor)).find((event) => event.kind === 'merge');
    expect(merge?.before).toHaveLength(2);
    // The absorbed ID still resolves, to the survivor.
    const absorbed = merge?.before.find((id) => id !== survivor) as string;
    expect((await storeOf(engine).findProfile(absorbed))?.profile.id).toBe(survivor);

    await engine.unmerge(merge?.id as string, { actor: 'user:kim' });
    const parts = await partition(storeOf(engine));
    expect(parts).toHaveLength(2);
    expect(parts.flat().sort()).toEqual(['app:i1', 'crm:c1', 'crm:c2', 'web:s1']);
    // New evidence of the same kind does not undo the decision.
    await engine.ingest('app', [{ install_id: 'i2', email: 'ann@x.co', phone: '+44 20 7946 0777', first_name: 'Ann' }]);
    expect(await partition(storeOf(engine))).toHaveLength(2);
    await storeOf(engine).close();
  });

  it('refuses to ingest under rules other than those the graph was built with', async () => {
    const folder = await tempDir();
    const engine = await openEngine(folder);
    await engine.ingest('crm', [crm('c1', { email: 'ann@x.co' })]);
    await storeOf(engine).close();
    const other = await openEngine(folder, rulesFrom(DEFAULT_RULES_TEXT.replace('min_score: 8', 'min_score: 9')));
    await expect(other.ingest('crm', [crm('c2', {})])).rejects.toMatchObject({ code: 'RULES_MISMATCH' });
    await storeOf(other).close();
  });
});
