/**
 * A first load of N synthetic records into Neo4j, end to end, through the offline importer
 * (BENCH_ONLY=neo4j-import; BENCH_NEO4J_RECORDS, default 1,000,000): the built CLI writes the import
 * files from the NDJSON sources (`idgraph load --import-files`, in a process of its own), the
 * launcher imports them into a new data folder and starts the server (`scripts/neo4j.sh --import`,
 * 4 GB heap and page cache as in the Bolt benchmark), and the store's first open creates the
 * constraints and indexes, waited for until online. The clock runs from the NDJSON files to a graph
 * ready for queries. CPU seconds are printed beside the times (the machine's 2 cores are shared, so
 * wall times depend on what else runs): the load's process, the importer (the launcher's child
 * before it becomes the server) and the server up to a ready graph. Then whole profiles are erased on the
 * loaded graph (bench/erasure-neo4j.ts). With BENCH_NEO4J_IMPORT_BOLT=1 the same files are then loaded through Bolt
 * (`idgraph load --store bolt://...`) into a fresh server, end to end too, for the comparison.
 */
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import neo4j from 'neo4j-driver';
import { Neo4jStore } from '../src/store/neo4j/neo4j-store.js';
import { startNeo4j } from '../test/support/neo4j-server.js';
import { benchErasuresNeo4j } from './erasure-neo4j.js';
import { cleanup, synthOnly } from './ingest.js';
import { cpuSecondsOf, procOf, report } from './support.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../bin/idgraph.js', import.meta.url));
const RULES = fileURLToPath(new URL('../rules/default.yaml', import.meta.url));
const SOURCES = ['crm', 'web', 'app', 'orders'];
const SERVER = { heap: '4g', pageCacheMb: 4096 } as const;

interface LoadSummary {
  readonly rows: number;
  readonly accepted: number;
  readonly profilesCreated: number;
  readonly commits: number;
  readonly peakMemoryMb: number;
  /** Wall seconds of the load's phases, as `idgraph load` reports them. */
  readonly phases: {
    readonly parse: number;
    readonly normalize: number;
    readonly match: number;
    readonly write: number;
  };
  readonly importFiles?: { readonly nodes: number; readonly relationships: number };
}

export async function benchNeo4jImport(records: number): Promise<void> {
  const { folder, data } = await synthOnly(records);
  const pairs = SOURCES.map((source) => `${source}=${join(data, `${source}.ndjson`)}`);
  try {
    const start = performance.now();
    const files = join(folder, 'import');
    const loadBefore = loadavg()[0] as number;
    const written = await load(['--import-files', files], pairs);
    const filesAt = performance.now();
    const server = await startNeo4j({ ...SERVER, importFiles: files, data: join(folder, 'neo4j') });
    try {
      const servedAt = performance.now();
      const started = cpuSecondsOf(procOf(server.pid));
      await readyGraph(server.uri);
      const end = performance.now();
      const ready = cpuSecondsOf(procOf(server.pid));
      const held = await count(server.uri);
      const onDisk = await bytesUnder(join(folder, 'neo4j', 'data', 'databases', 'neo4j'));
      const csv = await bytesUnder(files);
      report(
        `neo4j first load of ${written.accepted} records through the offline importer: ${sec(end - start)} s end to end ` +
          `(import files ${sec(filesAt - start)} s: ${phasesOf(written)}; ${written.cpuSeconds.toFixed(1)} CPU s, peak RSS ${written.peakMemoryMb} MB; ` +
          `import ${started.children.toFixed(1)} CPU s and server start, ${sec(servedAt - filesAt)} s; constraints and ` +
          `indexes ${sec(end - servedAt)} s, server ${ready.own.toFixed(1)} CPU s up to then); ` +
          `${written.importFiles?.nodes} nodes, ${written.importFiles?.relationships} relationships, ` +
          `${written.profilesCreated} profiles; the server holds ${held} records; ${mb(csv)} MB of CSV, the database ` +
          `${mb(onDisk)} MB on disk (${(onDisk / written.accepted).toFixed(0)} bytes a record); load average ${loadBefore.toFixed(1)} ` +
          `before, ${(loadavg()[0] as number).toFixed(1)} after`,
      );
      await benchErasuresNeo4j(server.uri, written.accepted);
    } finally {
      await server.stop();
    }

    if (process.env.BENCH_NEO4J_IMPORT_BOLT === '1') {
      const server = await startNeo4j({ ...SERVER, own: true, data: join(folder, 'neo4j-bolt') });
      try {
        const boltStart = performance.now();
        const loaded = await load(['--store', server.uri], pairs);
        await readyGraph(server.uri);
        report(
          `neo4j first load of ${loaded.accepted} records through Bolt (idgraph load --store): ` +
            `${sec(performance.now() - boltStart)} s end to end (server started before the clock), ` +
            `${loaded.commits} commits (${phasesOf(loaded)}), load ${loaded.cpuSeconds.toFixed(1)} CPU s, server ` +
            `${cpuSecondsOf(procOf(server.pid)).own.toFixed(1)} CPU s, peak RSS ${loaded.peakMemoryMb} MB; load average ` +
            `${(loadavg()[0] as number).toFixed(1)}`,
        );
      } finally {
        await server.stop();
      }
    }
  } finally {
    await cleanup(folder);
  }
}

/**
 * A Neo4j server holding N synthetic records (seed 42, as the other benchmarks' stores), first-loaded
 * the fast way: import files, the offline importer, constraints. For benchmarks of what a loaded
 * graph serves (bench/neo4j.ts). `stop` stops the server and deletes everything.
 */
export async function importedGraph(records: number): Promise<{ uri: string; stop(): Promise<void> }> {
  const { folder, data } = await synthOnly(records);
  try {
    const files = join(folder, 'import');
    const started = performance.now();
    await load(
      ['--import-files', files],
      SOURCES.map((source) => `${source}=${join(data, `${source}.ndjson`)}`),
    );
    const server = await startNeo4j({ ...SERVER, importFiles: files, data: join(folder, 'neo4j') });
    await readyGraph(server.uri);
    report(
      `${records} records first-loaded into Neo4j through the offline importer in ${sec(performance.now() - started)} s`,
    );
    return {
      uri: server.uri,
      stop: async () => {
        await server.stop();
        await cleanup(folder);
      },
    };
  } catch (error) {
    await cleanup(folder);
    throw error;
  }
}

/** Bytes of the files under a folder (`du --bytes`), for the database's size on disk. */
async function bytesUnder(path: string): Promise<number> {
  const { stdout } = await run('du', ['--summarize', '--bytes', path]);
  return Number(stdout.split('\t')[0]);
}

const mb = (bytes: number) => Math.round(bytes / 1e6).toLocaleString('en-US');

/** `idgraph load` of the synthetic files by the built CLI, in a process of its own (timed by /usr/bin/time). */
async function load(
  target: readonly string[],
  pairs: readonly string[],
): Promise<LoadSummary & { cpuSeconds: number }> {
  const { stdout, stderr } = await run(
    '/usr/bin/time',
    [
      '-f',
      'cpu-seconds %U %S',
      process.execPath,
      CLI,
      'load',
      '--json',
      '--no-progress',
      '--max-rejects',
      '100%',
      '--rules',
      RULES,
      ...target,
      ...pairs,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const [, user, system] = /cpu-seconds ([\d.]+) ([\d.]+)/.exec(stderr) ?? [];
  return { ...(JSON.parse(stdout) as LoadSummary), cpuSeconds: Number(user) + Number(system) };
}

/** Where the load's time went: `parse 1.6 s, normalize 26.6 s, ...`. */
function phasesOf({ phases }: LoadSummary): string {
  return (['parse', 'normalize', 'match', 'write'] as const)
    .map((phase) => `${phase} ${phases[phase].toFixed(1)} s`)
    .join(', ');
}

/** The store's first open (migrations: constraints and indexes), then every index online. */
async function readyGraph(uri: string): Promise<void> {
  const store = await Neo4jStore.open({ uri, user: undefined, password: undefined, database: 'neo4j' });
  await store.close();
  const driver = neo4j.driver(uri);
  try {
    await driver.executeQuery('CALL db.awaitIndexes(3600)', {}, { database: 'neo4j' });
  } finally {
    await driver.close();
  }
}

async function count(uri: string): Promise<number> {
  const driver = neo4j.driver(uri);
  try {
    const { records } = await driver.executeQuery('MATCH (r:Record) RETURN count(r) AS n', {}, { database: 'neo4j' });
    return Number(records[0]?.get('n'));
  } finally {
    await driver.close();
  }
}

const sec = (ms: number) => (ms / 1000).toFixed(1);
