/**
 * `idgraph quickstart` (what `npm start` runs): makes sure the embedded store exists, loads demo
 * data into it when it is empty, and prints what is in the graph and what to try next.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { identifierKey } from '../../core/resolve/types.js';
import { Engine } from '../../engine/engine.js';
import { loadRulesText } from '../../engine/rules/load-rules.js';
import { ingestFiles } from '../../ingest/ingest-files.js';
import { openInput } from '../../ingest/input.js';
import { RejectFile } from '../../ingest/reject-file.js';
import { graphStats } from '../../queries/stats.js';
import { KNOWN_EMAIL } from '../../synth/known-people.js';
import { writeSyntheticFiles } from '../../synth/write-files.js';
import { withStore } from '../engine-session.js';
import { CliError, type CliIo } from '../io.js';

const DEFAULT_RULES = new URL('../../../rules/default.yaml', import.meta.url);
const DEMO_PEOPLE = 2000;
export const DEMO_ACTOR = 'demo';

export function registerQuickstartCommand(program: Command, io: CliIo): void {
  program
    .command('quickstart')
    .description('Load demo data into the store when it is empty, then summarize the graph (what `npm start` runs).')
    .option('--store <spec>', 'embedded store folder (default: IDGRAPH_STORE or .idgraph/store)')
    .action(async (options: { store?: string }) => {
      await withStore(options, io, async (store) => {
        const loaded = loadRulesText(await readFile(DEFAULT_RULES, 'utf8'), 'rules/default.yaml');
        if (!loaded.ok) throw new CliError(loaded.problems.join('\n'), 1);
        if ((await store.lastCommit()) === 0) await loadDemoData(new Engine(store, loaded.rules), io);
        const stats = await graphStats(store);
        const largest = stats.largestProfiles[0] ?? { profileId: '', records: 0 };
        // The demo data's known person, when this store holds the demo data.
        const known = loaded.rules.normalizers.normalize('email', KNOWN_EMAIL, {});
        const annKey = known.ok ? identifierKey('email', known.key) : undefined;
        const ann = annKey ? (await store.profilesHolding([annKey])).get(annKey)?.[0] : undefined;
        io.out(
          [
            `${stats.records} records in ${stats.profiles} profiles (largest ${largest.profileId}: ${largest.records} records), ${stats.commit} commits`,
            'Try:',
            `  npx idgraph profile ${largest.profileId}`,
            `  npx idgraph history ${largest.profileId}`,
            '  npx idgraph export profiles | head -3',
            ...(ann
              ? ['  npx idgraph lookup email Ann.Lee@GoogleMail.com', '  npx idgraph explain crm:C000001 web:S000002']
              : []),
            ...(stats.openReviewItems > 0
              ? [`  npx idgraph review list               # ${stats.openReviewItems} pair(s) for a steward to decide`]
              : []),
            '',
          ].join('\n'),
        );
      });
    });
}

/** Writes synthetic demo data to a temporary folder and ingests it, source by source. */
export async function loadDemoData(engine: Engine, io: CliIo): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'idgraph-demo-'));
  try {
    const data = await writeSyntheticFiles(work, { seed: 1, people: DEMO_PEOPLE }, 'ndjson');
    io.out(`empty store: loading ${data.records} demo records of ${data.people} people...\n`);
    const rejects = new RejectFile(join(work, 'rejects.ndjson'));
    for (const source of ['crm', 'web', 'app', 'orders']) {
      const input = await openInput(join(work, `${source}.ndjson`));
      // Its events name the demo as their actor, which is how `load` knows a store holds the demo data.
      await ingestFiles({ engine, source, inputs: [input], rejects, actor: DEMO_ACTOR });
    }
    await rejects.close();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
