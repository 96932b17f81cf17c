/**
 * The CLI as installed: bin/idgraph.js running the compiled dist/, where worker threads start from
 * JavaScript files beside their callers (the tests elsewhere run the TypeScript source). A first
 * load with worker threads must give what a load without them gives.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
});
