/**
 * Opens the store and the rules a command works on, and closes the store whatever happens. The
 * store comes from --store or IDGRAPH_STORE; the rules from --rules, IDGRAPH_RULES, or else the
 * rules the store was last resolved under.
 */
import { readFile } from 'node:fs/promises';
import { Engine } from '../engine/engine.js';
import { loadRulesText, type RulesLoadResult } from '../engine/rules/load-rules.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { GraphStore } from '../store/graph-store.js';
import { openStore } from '../store/open-store.js';
import { CliError, type CliIo } from './io.js';

export interface StoreOptions {
  readonly store?: string;
  readonly rules?: string;
  /** Where an embedded store keeps its audiences (`--audiences`); refused with Neo4j, which keeps them in the graph. */
  readonly audiences?: string;
}

export async function readRulesFile(path: string, io: CliIo): Promise<LoadedRules> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read rules file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, 2);
  }
  return requireValid(loadRulesText(text, path), path, io);
}

function requireValid(result: RulesLoadResult, name: string, io: CliIo): LoadedRules {
  if (result.ok) return result.rules;
  for (const problem of result.problems) io.err(`${problem}\n`);
  throw new CliError(`${name}: invalid rules (${result.problems.length} problem(s))`, 1);
}

/** How a command uses the store: a reader works alongside a running writer (`idgraph serve`). */
export type StoreAccess = 'read' | 'write';

/** How the store is opened: by default from --store or IDGRAPH_STORE; a command may open another. */
export type OpenStore = () => Promise<GraphStore>;

export async function withStore<T>(
  options: StoreOptions,
  io: CliIo,
  work: (store: GraphStore) => Promise<T>,
  access: StoreAccess = 'write',
  open: OpenStore = () =>
    openStore(options.store ?? io.env.IDGRAPH_STORE, io.env, {
      readOnly: access === 'read',
      audiences: options.audiences,
    }),
): Promise<T> {
  const store = await open();
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export async function withEngine<T>(
  options: StoreOptions,
  io: CliIo,
  work: (engine: Engine, store: GraphStore, rules: LoadedRules) => Promise<T>,
  access: StoreAccess = 'write',
  open?: OpenStore,
): Promise<T> {
  const rulesPath = options.rules ?? io.env.IDGRAPH_RULES;
  const fromFile = rulesPath ? await readRulesFile(rulesPath, io) : undefined;
  return withStore(
    options,
    io,
    async (store) => {
      let rules = fromFile;
      if (!rules) {
        const stored = await store.currentRules();
        if (!stored) {
          throw new CliError(
            'no rules: the store has none recorded yet (nothing was ingested); pass --rules FILE or set IDGRAPH_RULES',
            2,
          );
        }
        rules = requireValid(loadRulesText(stored.text, 'rules stored with the graph'), 'stored rules', io);
      }
      return work(new Engine(store, rules), store, rules);
    },
    access,
    open,
  );
}

export function defaultActor(io: CliIo): string {
  return `user:${io.env.USER ?? 'unknown'}`;
}
