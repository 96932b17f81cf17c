/**
 * Schemathesis (from PyPI, pinned in test/schemathesis/requirements.txt) against the OpenAPI
 * document of a real `idgraph serve` on a temporary embedded store with the demo data: a bounded
 * number of generated requests per route (test/schemathesis/schemathesis.toml) must find no 5xx
 * and no answer that breaks the document (status, content type, body schema, headers).
 * Segment tracking calls get a write key of the service's instead of the API key.
 * The tool is installed into a virtualenv under the repository (.venv-schemathesis, ignored by git)
 * the first time; Python 3.11 or newer is needed, as CI has.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeChild, startServe } from '../support/serve-child.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FOLDER = join(ROOT, 'test', 'schemathesis');
const VENV = join(ROOT, '.venv-schemathesis');
const SCHEMATHESIS = join(VENV, 'bin', 'schemathesis');
const KEY = 'schemathesis-test-key-0123456789';
const WRITE_KEY = 'schemathesis-write-key-01';

/** The virtualenv with the pinned version, made or brought up to date. */
async function installSchemathesis(): Promise<void> {
  const pinned = (await readFile(join(FOLDER, 'requirements.txt'), 'utf8')).trim().split('==')[1] ?? '';
  if (existsSync(SCHEMATHESIS)) {
    const { stdout } = await run(SCHEMATHESIS, ['--version']);
    if (stdout.includes(pinned)) return;
  }
  if (!existsSync(join(VENV, 'bin', 'python'))) await run('python3', ['-m', 'venv', VENV]);
  await run(join(VENV, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '-r',
    join(FOLDER, 'requirements.txt'),
  ]);
}

let dir: string;
let server: ServeChild;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idgraph-schemathesis-'));
  [server] = await Promise.all([
    startServe(['--demo', '--store', join(dir, 'store')], KEY, {
      IDGRAPH_SEGMENT_WRITE_KEYS: `${WRITE_KEY}:segment`,
      // Schemathesis sends made-up consistency tokens naming commits that never come: each such
      // read waits this long for its 503, not the default 5 s.
      IDGRAPH_CONSISTENCY_WAIT_MS: '50',
    }),
    installSchemathesis(),
  ]);
}, 300_000);

afterAll(async () => {
  server?.child.kill();
  await rm(dir, { recursive: true, force: true });
});

describe('the OpenAPI document against the running service', () => {
  it('holds for every answer schemathesis provokes, and none is a server error', async () => {
    const lookup = await fetch(`${server.url}/v1/lookup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ identifiers: [{ type: 'email', value: 'Ann.Lee@GoogleMail.com' }] }),
    });
    const profileId = ((await lookup.json()) as { results: { profileId: string | null }[] }).results[0]?.profileId;
    expect(profileId).toMatch(/^p_/);

    const result = await run(
      SCHEMATHESIS,
      [
        '--config-file',
        join(FOLDER, 'schemathesis.toml'),
        'run',
        `${server.url}/openapi.json`,
        '--no-color',
        '--workers',
        '1',
        '--report',
        'junit',
        '--report-dir',
        join(dir, 'report'),
      ],
      {
        // Its cache of crashes goes into the working folder: the temporary one, not the repository.
        cwd: dir,
        env: {
          ...process.env,
          IDGRAPH_TEST_KEY: KEY,
          IDGRAPH_TEST_PROFILE: profileId as string,
          // Segment tracking calls take the write key as the Basic user, not the API key.
          IDGRAPH_TEST_SEGMENT_AUTH: Buffer.from(`${WRITE_KEY}:`).toString('base64'),
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? 1,
        stdout: `${error.stdout ?? ''}${error.stderr ?? ''}`,
      }),
    );
    // The summary names every failure with the request that provoked it.
    expect(result.code, result.stdout.slice(-20_000)).toBe(0);
    expect(result.stdout).toMatch(/\d+ generated, \d+ passed/);
    expect(result.stdout).not.toMatch(/\d+ failed/);
  }, 400_000);
});
