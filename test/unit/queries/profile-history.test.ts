import { describe, expect, it } from 'vitest';
import { profileHistory } from '../../../src/queries/history.js';
import { profileView } from '../../../src/queries/profile.js';
import { QueryError } from '../../../src/queries/query-error.js';
import { useTempDirs } from '../../support/temp-dir.js';
import { ANN, ANN_AGAIN, BOB, household, rules } from './households.js';

const tempDir = useTempDirs();

/** Two profiles, then a record that joins them: one ID is merged away. */
async function merged() {
  const work = { customer_id: 'c4', email: 'a.lee@work.io', phone: '07700 900123', first_name: 'Ann', country: 'GB' };
  const bridge = {
    customer_id: 'c5',
    email: 'Ann.Lee@gmail.com',
    phone: '07700 900123',
    first_name: 'Ann',
    country: 'GB',
  };
  const graph = await household(await tempDir(), [ANN, work]);
  const before = graph.time.now();
  const work1 = (await graph.store.profileIdsOf(['crm:c4'])).get('crm:c4') as string;
  await graph.engine.ingest('crm', [bridge]);
  const survivor = (await graph.store.profileIdsOf(['crm:c1'])).get('crm:c1') as string;
  const absorbed = survivor === graph.ann ? work1 : graph.ann;
  return { ...graph, before, survivor, absorbed };
}

describe('profileView', () => {
  it('shows a profile with its golden record', async () => {
    const { store, ann } = await household(await tempDir(), [ANN, ANN_AGAIN]);
    const view = await profileView(store, rules, ann);
    expect(view).toMatchObject({ profileId: ann, records: ['crm:c1', 'crm:c2'] });
    expect(view).not.toHaveProperty('mergedFrom');
    expect(view.attributes.first_name?.value).toBe('ann');
    expect(view.identifiers.find((identifier) => identifier.type === 'email')?.records).toEqual(['crm:c1', 'crm:c2']);
    await store.close();
  });

  it('follows a merged-away ID to the survivor, and shows it as it was before the merge', async () => {
    const { store, survivor, absorbed, before } = await merged();
    expect(await profileView(store, rules, absorbed)).toMatchObject({ profileId: survivor, mergedFrom: absorbed });
    expect((await profileView(store, rules, survivor)).records).toEqual(['crm:c1', 'crm:c4', 'crm:c5']);
    const then = await profileView(store, rules, absorbed, before);
    expect(then).toMatchObject({ profileId: absorbed, asOf: before });
    expect(then).not.toHaveProperty('mergedFrom');
    expect(then.records).toHaveLength(1);
    await store.close();
  });

  it('is NOT_FOUND for an unknown ID, and for a time before the profile existed', async () => {
    const { store, ann } = await household(await tempDir(), [ANN]);
    await expect(profileView(store, rules, 'p_nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const error = await profileView(store, rules, ann, '2020-01-01T00:00:00Z').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: `no profile ${ann} at 2020-01-01T00:00:00Z` });
    await store.close();
  });
});

describe('profileHistory', () => {
  it("lists a profile's events and says where a merged-away ID lives now", async () => {
    const { store, survivor, absorbed } = await merged();
    const live = await profileHistory(store, survivor);
    expect(live.currentProfile).toBe(survivor);
    expect(live.events.map((event) => event.kind)).toEqual(['profile_created', 'merge', 'records_added']);
    const old = await profileHistory(store, absorbed);
    expect(old).toMatchObject({ profileId: absorbed, currentProfile: survivor });
    expect(old.events.at(-1)?.kind).toBe('merge');
    await store.close();
  });

  it('keeps the history of an erased profile, which no longer answers, and refuses an unknown ID', async () => {
    const { engine, store, bob } = await household(await tempDir(), [ANN, BOB]);
    await engine.erase([bob], { actor: 'user:dpo' });
    const history = await profileHistory(store, bob);
    expect(history.currentProfile).toBeNull();
    expect(history.events.at(-1)?.kind).toBe('erased');
    await expect(profileHistory(store, 'p_nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await store.close();
  });
});
