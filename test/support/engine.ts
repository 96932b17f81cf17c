import { readFileSync } from 'node:fs';
import { Engine } from '../../src/engine/engine.js';
import { loadRulesText } from '../../src/engine/rules/load-rules.js';
import type { LoadedRules } from '../../src/engine/rules/loaded-rules.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { GraphStore } from '../../src/store/graph-store.js';

export const DEFAULT_RULES_TEXT = readFileSync(new URL('../../rules/default.yaml', import.meta.url), 'utf8');

export function rulesFrom(text: string = DEFAULT_RULES_TEXT): LoadedRules {
  const result = loadRulesText(text, 'test rules');
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.rules;
}

/** A fixed clock, so event times are reproducible. */
export const fixedClock = () => new Date('2026-06-01T12:00:00.000Z');

/**
 * The store each test engine works on. The engine keeps its store to itself (shells are handed the
 * parts they need at wiring time); tests look into it through `storeOf`.
 */
const storesOf = new WeakMap<Engine, GraphStore>();

/** An engine on this store, whose store the test can then reach with `storeOf`. */
export function engineOn(store: GraphStore, rules: LoadedRules, clock: () => Date = fixedClock): Engine {
  const engine = new Engine(store, rules, clock);
  storesOf.set(engine, store);
  return engine;
}

export function storeOf(engine: Engine): GraphStore {
  const store = storesOf.get(engine);
  if (!store) throw new Error('this engine was not made by engineOn or openEngine');
  return store;
}

export async function openEngine(folder: string, rules: LoadedRules = rulesFrom()): Promise<Engine> {
  return engineOn(await EmbeddedStore.open(folder), rules);
}

/** The partition as a canonical list of sorted clusters of record refs. */
export async function partition(store: GraphStore): Promise<string[][]> {
  const clusters: string[][] = [];
  for await (const profile of store.profiles()) clusters.push([...profile.records].sort());
  return clusters.sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
}

export async function profileOf(store: GraphStore, ref: string): Promise<string | undefined> {
  return (await store.profileIdsOf([ref])).get(ref);
}

/** Every review item of a store, without when it was found (bulk and incremental paths differ in commits), by ID. */
export async function reviewFindings(store: GraphStore): Promise<Record<string, unknown>[]> {
  const { items } = await store.reviewItems({ offset: 0, limit: Number.MAX_SAFE_INTEGER });
  return items
    .map(({ createdCommit, createdAt, updatedCommit, updatedAt, ...finding }) => finding)
    .sort((x, y) => (x.id < y.id ? -1 : 1));
}
