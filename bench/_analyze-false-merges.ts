import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordRef } from '../src/core/resolve/types.js';
import { Engine } from '../src/engine/engine.js';
import { firstLoad } from '../src/ingest/first-load.js';
import { openInput } from '../src/ingest/input.js';
import { RejectFile } from '../src/ingest/reject-file.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { writeSyntheticFiles } from '../src/synth/write-files.js';
import { loadRules } from './support.js';

const people = Number(process.argv[3] ?? 20000);
const rulesPath = process.argv[2] as string;
const SOURCES = ['crm', 'web', 'app', 'pos', 'support', 'orders'];
const folder = await mkdtemp(join(tmpdir(), 'ana-'));
await writeSyntheticFiles(folder, { seed: 42, people, shape: 'six-sources' }, 'ndjson');
const truth = new Map<string, { person: string; traits: string }>();
for (const line of (await readFile(join(folder, 'truth.csv'), 'utf8')).trim().split('\n').slice(1)) {
  const [s, id, person, traits] = line.split(',') as string[];
  truth.set(recordRef(s as string, id as string), { person: person as string, traits: traits ?? '' });
}
const store = await EmbeddedStore.open(join(folder, 'store'));
const engine = new Engine(store, loadRules(rulesPath));
const rejects = new RejectFile(join(folder, 'rejects.ndjson'));
const sources = await Promise.all(
  SOURCES.map(async (source) => ({ source, inputs: [await openInput(join(folder, `${source}.ndjson`))] })),
);
await firstLoad({ engine, sources, rejects });
const byRule = new Map<string, number>();
const samples: string[] = [];
for await (const profile of store.profiles()) {
  const persons = new Set(profile.records.map((r) => truth.get(r)?.person));
  if (persons.size < 2) continue;
  for (const edge of profile.edges) {
    const pa = truth.get(edge.a);
    const pb = truth.get(edge.b);
    if (pa?.person === pb?.person) continue;
    const fields = edge.evidence.map((e) => e.field).join('+');
    const key = `${edge.rule} [${fields}] ${edge.a.split(':')[0]}-${edge.b.split(':')[0]}`;
    byRule.set(key, (byRule.get(key) ?? 0) + 1);
    if (samples.length < 40) {
      const recs = await store.getRecords([edge.a, edge.b]);
      const show = (r: string) => {
        const rec = recs.get(r);
        return `${r} ${truth.get(r)?.person}(${truth.get(r)?.traits}) ids=${rec?.identifiers.map((i) => `${i.type}:${i.key}`).join(' ')} attrs=${Object.entries(
          rec?.attributes ?? {},
        )
          .map(([k, v]) => `${k}=${(v as { key: string }).key}`)
          .join(' ')}`;
      };
      samples.push(
        `${edge.rule} ${JSON.stringify(edge.evidence.map((e) => [e.field, e.values]))}\n   A ${show(edge.a)}\n   B ${show(edge.b)}`,
      );
    }
  }
}
console.log(
  [...byRule]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .map(([k, v]) => `${v}\t${k}`)
    .join('\n'),
);
console.log(samples.join('\n'));
await store.close();
