import { join } from 'node:path';
import { AudienceService } from '../src/audience/audience-service.js';
import { DESTINATIONS } from '../src/core/destinations/catalog.js';
import { DESTINATION_IDS } from '../src/core/destinations/destination-profile.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { loadDefaultRules } from './support.js';

const work = process.argv[2] as string;
const rules = loadDefaultRules();
const store = await EmbeddedStore.open(join(work, 'bulk-store'));
const service = new AudienceService(
  store,
  rules,
  join(work, 'audiences'),
  DESTINATIONS,
  Date.now,
  process.env.PER_PART ? { membersPerPart: Number(process.env.PER_PART) } : {},
);
const t = async (name: string, f: () => Promise<unknown>) => {
  const s = performance.now();
  await f();
  process.stdout.write(
    `${name} ${((performance.now() - s) / 1000).toFixed(2)} s rss ${(process.memoryUsage().rss / 1e6).toFixed(0)}\n`,
  );
};
const what = process.env.WHAT ?? 'resolve,meta,all,export';
if (what.includes('resolve'))
  await t('resolve', async () => {
    const v = await service.resolve('bench');
    let n = 0;
    for await (const b of service.people(v)) n += b.length;
  });
if (what.includes('meta')) await t('meta', () => service.report('bench', 'meta'));
if (what.includes('all')) await t('all', () => service.reports('bench', DESTINATION_IDS));
if (what.includes('export')) await t('export', () => service.export('bench', 'meta', join(work, 'meta.csv')));
await store.close();
if (process.env.SPLIT) {
  const store2 = await EmbeddedStore.open(join(work, 'bulk-store'));
  const service2 = new AudienceService(store2, rules, join(work, 'audiences'), DESTINATIONS);
  let view: Awaited<ReturnType<typeof service2.resolve>> | undefined;
  await t('resolveAudience', async () => {
    view = await service2.resolve('bench');
  });
  await t('stream people', async () => {
    let n = 0;
    for await (const b of service2.people(view as never)) n += b.length;
  });
  await t('stream people again', async () => {
    let n = 0;
    for await (const b of service2.people(view as never)) n += b.length;
  });
}
