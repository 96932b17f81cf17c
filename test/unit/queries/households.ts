/**
 * A small graph for the query tests, on a real embedded store: Ann's two records share an email (one
 * profile); Bob shares Ann's phone but not her first name, so the phone is held by two profiles.
 */
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { engineOn, rulesFrom, storeOf } from '../../support/engine.js';

export const rules = rulesFrom();

export const ANN = {
  customer_id: 'c1',
  email: 'Ann.Lee@gmail.com',
  phone: '07911 123456',
  first_name: 'Ann',
  country: 'GB',
};
export const ANN_AGAIN = { customer_id: 'c2', email: 'annlee@gmail.com', country: 'GB' };
export const BOB = {
  customer_id: 'c3',
  email: 'bob.kim@shop.io',
  phone: '07911 123456',
  first_name: 'Bob',
  country: 'GB',
};

/** A clock one minute further at every reading, so each commit has its own time. */
export function steppingClock(): { clock: () => Date; now: () => string } {
  let minute = 0;
  const start = Date.parse('2026-03-01T09:00:00Z');
  return {
    clock: () => new Date(start + minute++ * 60_000),
    now: () => new Date(start + (minute - 0.5) * 60_000).toISOString(),
  };
}

/** Ingests each batch as one commit, in order, and names the profiles of c1 and c3. */
export async function household(folder: string, ...batches: Record<string, string>[][]) {
  const time = steppingClock();
  const engine = engineOn(await EmbeddedStore.open(folder), rules, time.clock);
  for (const batch of batches) await engine.ingest('crm', batch);
  const ids = await storeOf(engine).profileIdsOf(['crm:c1', 'crm:c3']);
  return { engine, store: storeOf(engine), time, ann: ids.get('crm:c1') as string, bob: ids.get('crm:c3') as string };
}
