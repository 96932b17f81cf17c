/**
 * The CLI as installed: bin/idgraph.js running the compiled dist/, where worker threads start from
 * JavaScript files beside their callers (the tests elsewhere run the TypeScript source). A first
 * load with worker threads must give what a load without them gives, and so must an audience
 * report and upload file.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'idgraph.js');
const RULES = join(ROOT, 'rules', 'default.yaml');

let dir: string;

beforeAll(async () => {
  // The build the package ships, from the source under test (npm install builds it the same way).
  await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
  });
  dir = await mkdtemp(join(tmpdir(), 'idgraph-packaged-'));
  await run(process.execPath, [BIN, 'synth', '--records', '3000', '--seed', '9', '--out', join(dir, 'data')]);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the packaged CLI', () => {
  it('loads with worker threads from dist/ and ends with the profiles of a load without them', async () => {
    const pairs = ['crm', 'web', 'app', 'orders'].map((source) => `${source}=${join(dir, 'data', `${source}.ndjson`)}`);
    const exportOf = async (workers: string) => {
      const store = join(dir, `store-${workers}`);
      const load = await run(process.execPath, [
        BIN,
        'load',
        '--rules',
        RULES,
        '--store',
        store,
        '--rejects',
        join(dir, `rejects-${workers}.ndjson`),
        '--workers',
        workers,
        '--json',
        ...pairs,
      ]);
      expect(JSON.parse(load.stdout)).toMatchObject({ path: 'bulk', accepted: 3000 });
      return (await run(process.execPath, [BIN, 'export', 'records', '--store', store])).stdout;
    };
    const withWorkers = await exportOf('2');
    expect(withWorkers.trim().split('\n')).toHaveLength(3001);
    expect(withWorkers).toBe(await exportOf('0'));
  });

  it('exports an audience with its report on worker threads from dist/, as on one thread', async () => {
    const store = join(dir, 'store-2');
    const truth = (await readFile(join(dir, 'data', 'truth.csv'), 'utf8')).trim().split('\n').slice(1);
    const members = join(dir, 'members.csv');
    await writeFile(
      members,
      `source,record_id\n${truth.map((line) => line.split(',').slice(0, 2).join(',')).join('\n')}\n`,
    );
    await run(process.execPath, [BIN, 'audience', 'create', 'all', '--from', members, '--store', store]);
    const exportWith = async (workers: string) => {
      const out = join(dir, `meta-${workers}.csv`);
      const args = ['audience', 'export', 'all', '--destination', 'meta', '--out', out, '--report', '--json'];
      const { stdout } = await run(process.execPath, [BIN, ...args, '--store', store, '--workers', workers]);
      const { report } = JSON.parse(stdout) as { report: { graph: { resolvedAt?: string } } };
      // The runs are moments apart: only the time of resolution may differ.
      delete report.graph.resolvedAt;
      return { file: await readFile(out, 'utf8'), report };
    };
    const threaded = await exportWith('2');
    expect(threaded.file.trim().split('\n').length).toBeGreaterThan(1000);
    expect(threaded).toEqual(await exportWith('0'));
  });
});
