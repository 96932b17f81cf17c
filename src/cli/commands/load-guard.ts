/**
 * `idgraph load` is for a data set's first load. Pointed at a store that already holds another
 * data set (the demo data `npm start` loaded, or sources this load does not name), it would mix
 * the two without a word, and records with the same source and key would replace each other; so
 * it refuses unless told to add (`--add`). A rerun of a load that was cut short names the same
 * sources and goes on as before.
 */
import { identifierKey, splitRecordRef } from '../../core/resolve/types.js';
import type { LoadedRules } from '../../engine/rules/loaded-rules.js';
import type { GraphReads } from '../../store/graph-store.js';
import { KNOWN_EMAIL } from '../../synth/known-people.js';
import { CliError } from '../io.js';
import { DEMO_ACTOR } from './quickstart.js';

type Reads = Pick<GraphReads, 'lastCommit' | 'profilesHolding' | 'eventsOf' | 'records'>;

export async function refuseToMixDataSets(
  store: Reads,
  rules: LoadedRules,
  sources: readonly string[],
  storeName: string,
): Promise<void> {
  if ((await store.lastCommit()) === 0) return;
  const reason = (await holdsDemoData(store, rules)) ? 'the demo data' : await otherSources(store, sources);
  if (!reason) return;
  throw new CliError(
    `the store in ${storeName} already holds ${reason}: a load would mix these files into it, and a record ` +
      'with the same source and key would replace the one there. Give this data a store of its own ' +
      '(--store FOLDER or IDGRAPH_STORE), or pass --add to load into this one.',
    2,
  );
}

/**
 * Whether the store holds the demo data: its known person (every synthetic data set has her) was
 * written by the demo loader, whose events name it as their actor.
 */
async function holdsDemoData(store: Reads, rules: LoadedRules): Promise<boolean> {
  if (!rules.file.identifiers.email) return false;
  const email = rules.normalizers.normalize('email', KNOWN_EMAIL, {});
  if (!email.ok) return false;
  const key = identifierKey('email', email.key);
  const profileId = (await store.profilesHolding([key])).get(key)?.[0];
  if (!profileId) return false;
  return (await store.eventsOf(profileId)).some((event) => event.actor === DEMO_ACTOR);
}

/** "records of other sources (app, orders)" when the store holds sources this load does not name. */
async function otherSources(store: Reads, sources: readonly string[]): Promise<string | undefined> {
  const named = new Set(sources);
  const others = new Set<string>();
  for await (const record of store.records()) {
    const { source } = splitRecordRef(record.ref);
    if (!named.has(source)) others.add(source);
  }
  return others.size > 0 ? `records of other sources (${[...others].sort().join(', ')})` : undefined;
}
