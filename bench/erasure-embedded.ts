/**
 * Erasures on the embedded store the bulk benchmark loaded (part of BENCH_ONLY=bulk, on its 1M
 * records), timed by erasures.ts. The embedded store scrubs an erased person from its files by
 * rewriting its write-ahead log and its events file whole (embedded-store.ts), so an erasure's time
 * grows with the history, not with the person: the figure printed beside it is the bytes rewritten.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Engine } from '../src/engine/engine.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { EVENTS_FILE, LOG_FILE } from '../src/store/embedded/store-folder.js';
import { describeErasures, timeErasures } from './erasures.js';
import { loadDefaultRules, report } from './support.js';

/** Erasures timed after the first: each rewrites the files, so a few say enough. */
const TIMED = 5;

export async function benchErasuresEmbedded(folder: string): Promise<void> {
  const store = await EmbeddedStore.open(folder);
  try {
    const profiles = await lowestProfileIds(store, TIMED + 1);
    const log = (await stat(join(folder, LOG_FILE))).size;
    const events = (await stat(join(folder, EVENTS_FILE))).size;
    const times = await timeErasures(new Engine(store, loadDefaultRules()), profiles);
    report(
      `erasure of a whole profile on the embedded store, one commit each: ${describeErasures(times)}; each rewrites ` +
        `the log (${mb(log)} MB) and the events file (${mb(events)} MB)`,
    );
  } finally {
    await store.close();
  }
}

/** The profiles with the lowest IDs: hashes, so spread over the load rather than its first people. */
async function lowestProfileIds(store: EmbeddedStore, count: number): Promise<string[]> {
  const ids: string[] = [];
  for await (const profile of store.profiles()) ids.push(profile.id);
  return ids.sort().slice(0, count);
}

const mb = (bytes: number) => Math.round(bytes / 1e6).toLocaleString('en-US');
