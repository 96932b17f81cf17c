import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AudienceService } from '../src/audience/audience-service.js';
import { DESTINATIONS } from '../src/core/destinations/catalog.js';
import { recordRef } from '../src/core/resolve/types.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { benchBulk, synthOnly } from './ingest.js';
import { loadDefaultRules } from './support.js';

const { folder, data } = await synthOnly(Number(process.env.N ?? 200000));
await benchBulk(data, folder);
const rules = loadDefaultRules();
const store = await EmbeddedStore.open(join(folder, 'bulk-store'));
const service = new AudienceService(store, rules, join(folder, 'audiences'), DESTINATIONS);
const members = [];
let line = 0;
for await (const text of createInterface({ input: createReadStream(join(data, 'truth.csv'), 'utf8') })) {
  if (line++ === 0) continue;
  const [source, recordId] = text.split(',');
  members.push({ kind: 'record' as const, line, ref: recordRef(source as string, recordId as string) });
}
await service.create('bench', { members, rejected: [] }, { replace: true });
await store.close();
process.stdout.write(`${folder}\n`);
