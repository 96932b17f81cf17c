import { join } from 'node:path';
import { AudienceService } from '../src/audience/audience-service.js';
import type { AudiencePerson } from '../src/core/audience/person.js';
import { MatchReportBuilder } from '../src/core/audience/report.js';
import { DESTINATIONS } from '../src/core/destinations/catalog.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { loadDefaultRules } from './support.js';

const work = process.argv[2] as string;
const rules = loadDefaultRules();
const store = await EmbeddedStore.open(join(work, 'bulk-store'));
const service = new AudienceService(store, rules, join(work, 'audiences'), DESTINATIONS);
const view = await service.resolve('bench');
const people: AudiencePerson[] = [];
for await (const b of service.people(view)) people.push(...b);
for (let round = 0; round < 3; round++) {
  const s = performance.now();
  const builder = new MatchReportBuilder(service.settings('meta', { withUpload: false }), Date.now());
  for (const p of people) builder.add(p);
  builder.finish({
    audience: {
      id: 'x',
      name: 'x',
      createdAt: '',
      suppress: [],
      rows: 0,
      rowsRejected: 0,
      rowsUnresolved: 0,
      rowsNotFound: 0,
    },
    suppressed: 0,
    graph: { rulesVersion: '', lastCommit: 0 },
  });
  process.stdout.write(`evaluate meta ${people.length} people: ${(performance.now() - s).toFixed(0)} ms\n`);
}
