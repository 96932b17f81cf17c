/**
 * A first load through Neo4j's offline importer: `idgraph load --import-files` writes the files, the
 * launcher imports them into a new data folder (`scripts/neo4j.sh --import`) and serves it. The graph
 * then equals the one the Bolt bulk path writes for the same input, node for node and relationship
 * for relationship with every property and its type, and the store goes on committing incrementally
 * into the same graph as on the Bolt-loaded one. Loads of the wrong kind are refused clearly.
 */
import { spawnSync } from 'node:child_process';
import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/capture-io.js';
import { type Neo4jServer, startNeo4j } from '../support/neo4j-server.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
const SCRIPT = new URL('../../scripts/neo4j.sh', import.meta.url).pathname;
const SOURCES = ['crm', 'web', 'app', 'orders'];

/** Synthetic sources, and crm rows whose texts hold what CSV must carry: quotes, commas, line breaks, backslashes. */
async function inputs(): Promise<{ pairs: string[]; later: string }> {
  const data = await tempDir();
  expect((await cli('synth', '--records', '2500', '--seed', '12', '--out', data)).code).toBe(0);
  const awkward = [
    {
      customer_id: 'Q1',
      email: 'quote.one@example.com',
      first_name: 'Ann "Nan"',
      last_name: "O'Lee, Jr",
      country: 'GB',
    },
    {
      customer_id: 'Q2',
      email: 'quote.one@example.com',
      first_name: 'Ann\nMarie',
      last_name: 'Back\\slash',
      country: 'GB',
    },
    { customer_id: 'Q3', email: 'empty.name@example.com', first_name: '', last_name: '"', country: 'GB' },
  ];
  await appendFile(join(data, 'crm.ndjson'), `${awkward.map((row) => JSON.stringify(row)).join('\n')}\n`);
  // Written after the first load, through the store: one joins a loaded person, one is new.
  const later = join(data, 'later.ndjson');
  await writeFile(
    later,
    `${[
      { customer_id: 'L1', email: 'quote.one@example.com', first_name: 'Ann', country: 'GB' },
      { customer_id: 'L2', email: 'someone.new@example.com', first_name: 'Bo', country: 'GB' },
    ]
      .map((row) => JSON.stringify(row))
      .join('\n')}\n`,
  );
  return { pairs: SOURCES.map((source) => `${source}=${join(data, `${source}.ndjson`)}`), later };
}

const LOAD = ['--rules', RULES, '--commit-size', '900', '--workers', '0', '--no-progress', '--json'];

async function ingestLater(uri: string, later: string): Promise<void> {
  const run = await cli('ingest', '--rules', RULES, '--store', uri, '--source', 'crm', '--no-progress', later);
  expect(run.code, run.err).toBe(0);
}

/**
 * Every node (labels and properties) and relationship (type, ends, properties) as sorted lines, integers
 * told from texts. The times a load or commit ran at differ between two runs: each is named by its
 * rank among them wherever it appears.
 */
async function dump(uri: string): Promise<string[]> {
  const driver: Driver = neo4j.driver(uri);
  try {
    const read = async (query: string) => (await driver.executeQuery(query, {}, { database: 'neo4j' })).records;
    const key = (alias: string) => `labels(${alias})[0] + ':' + coalesce(${alias}.ref, ${alias}.key, ${alias}.id)`;
    const nodes = await read('MATCH (n) RETURN labels(n) AS labels, properties(n) AS props');
    const links = await read(
      `MATCH (a)-[r]->(b) RETURN type(r) AS type, ${key('a')} AS start, ${key('b')} AS end, properties(r) AS props`,
    );
    const typed = (_: string, value: unknown) => (neo4j.isInt(value) ? { int: value.toString() } : value);
    const lines = [
      ...nodes.map((row) => JSON.stringify({ labels: row.get('labels'), ...row.get('props') }, typed)),
      ...links.map((row) => JSON.stringify(row.toObject(), typed)),
    ];
    const times = new Set<string>();
    for (const row of nodes) {
      const props = row.get('props') as Record<string, unknown>;
      for (const field of ['at', 'lockedAt']) {
        if (row.get('labels').some((label: string) => label === 'Event' || label === 'Meta') && props[field]) {
          times.add(props[field] as string);
        }
      }
    }
    const ranked = [...times].sort();
    return lines
      .map((line) => ranked.reduce((text, time, rank) => text.replaceAll(time, `<time ${rank}>`), line))
      .sort();
  } finally {
    await driver.close();
  }
}

/** `idgraph export records` and `export profiles` of the graph, as the store reads them. */
async function exports(uri: string): Promise<string[]> {
  const outputs: string[] = [];
  for (const what of ['records', 'profiles']) {
    const run = await cli('export', what, '--store', uri);
    expect(run.code, run.err).toBe(0);
    outputs.push(run.out);
  }
  return outputs;
}

describe('first load through the offline importer', () => {
  it('imports the graph the Bolt bulk path writes, and the store goes on committing into it', async () => {
    const { pairs, later } = await inputs();

    // The Bolt bulk path, the reference.
    let bolt: Neo4jServer = await startNeo4j();
    let viaBolt: { loaded: string[]; afterIngest: string[]; exports: string[] };
    try {
      const run = await cli('load', '--store', bolt.uri, ...LOAD, ...pairs);
      expect(run.code, run.err).toBe(0);
      expect(JSON.parse(run.out).commits).toBeGreaterThan(2);
      const loaded = await dump(bolt.uri);
      await ingestLater(bolt.uri, later);
      viaBolt = { loaded, afterIngest: await dump(bolt.uri), exports: await exports(bolt.uri) };
    } finally {
      await bolt.stop();
    }

    // The files, then the import into a new data folder, served by the launcher.
    const files = join(await tempDir(), 'import');
    const written = await cli('load', '--import-files', files, ...LOAD, ...pairs);
    expect(written.code, written.err).toBe(0);
    const summary = JSON.parse(written.out);
    expect(summary).toMatchObject({ path: 'bulk', importFiles: { folder: files } });
    // The rules text in meta.csv holds line breaks: that file is one the importer reads as multiline.
    expect(await readFile(join(files, 'import.args'), 'utf8')).toMatch(/^--multiline-fields=.*meta\.csv/m);
    const data = await tempDir();
    bolt = await startNeo4j({ importFiles: files, data });
    try {
      const loaded = await dump(bolt.uri);
      expect(loaded.length).toBe(summary.importFiles.nodes + summary.importFiles.relationships);
      expect(loaded).toEqual(viaBolt.loaded);
      // The store's first connect creates the constraints; then commits go on as on the Bolt-loaded graph.
      await ingestLater(bolt.uri, later);
      expect(await dump(bolt.uri)).toEqual(viaBolt.afterIngest);
      // The store's own reads agree: every record's profile, and every profile with its golden record.
      const exported = await exports(bolt.uri);
      expect(exported).toEqual(viaBolt.exports);
      expect(exported[0]).toMatch(/^crm,L1,p_/m);
      expect(exported[0]).toMatch(/^crm,L2,p_/m);
    } finally {
      await bolt.stop();
    }

    // That data folder holds a database now: a second import into it is refused before anything runs.
    const again = spawnSync('bash', [SCRIPT, '--import', files], {
      encoding: 'utf8',
      env: { ...process.env, NEO4J_DATA: data },
    });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already holds a database');
  }, 600_000);

  it('refuses a folder that is not empty, a store beside the files, and files without import.args', async () => {
    const { pairs } = await inputs();
    const used = await tempDir();
    await mkdir(join(used, 'old'));
    const intoUsed = await cli('load', '--import-files', used, ...LOAD, ...pairs);
    expect(intoUsed.code).toBe(2);
    expect(intoUsed.err).toContain('is not empty');
    expect(await readdir(used)).toEqual(['old']);

    const both = await cli(
      'load',
      '--import-files',
      join(used, 'new'),
      '--store',
      'bolt://127.0.0.1:1',
      ...LOAD,
      ...pairs,
    );
    expect(both.code).toBe(2);
    expect(both.err).toContain('leave out --store');

    const noArgs = spawnSync('bash', [SCRIPT, '--import', used], {
      encoding: 'utf8',
      env: { ...process.env, NEO4J_DATA: await tempDir() },
    });
    expect(noArgs.status).toBe(2);
    expect(noArgs.stderr).toContain('import.args');
  }, 120_000);
});
