/**
 * A real `idgraph serve` in a child process, on a temporary embedded store loaded with `idgraph
 * synth` data through the built CLI, as a user runs it; and Debian's Chromium driven by playwright-core.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';
import { freePort } from '../support/free-port.js';

const BIN = new URL('../../bin/idgraph.js', import.meta.url).pathname;
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const run = promisify(execFile);

export interface ConsoleServer {
  readonly url: string;
  readonly folder: string;
  readonly data: string;
  readonly stop: () => Promise<void>;
}

export async function startConsoleServer(keys: string, people = 300): Promise<ConsoleServer> {
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-browser-'));
  const data = join(folder, 'data');
  const store = join(folder, 'store');
  await run(process.execPath, [BIN, 'synth', '--out', data, '--people', String(people), '--seed', '7']);
  await run(process.execPath, [
    BIN,
    'load',
    '--rules',
    RULES,
    '--store',
    store,
    '--workers',
    '0',
    '--rejects',
    join(folder, 'rejects.ndjson'),
    ...['crm', 'web'].map((source) => `${source}=${join(data, `${source}.ndjson`)}`),
  ]);
  // The other sources arrive later, one commit each, so the history holds records joining
  // profiles and profiles merging, as after days of ingest.
  for (const source of ['app', 'orders']) {
    await run(process.execPath, [
      BIN,
      'ingest',
      '--store',
      store,
      '--source',
      source,
      '--no-progress',
      '--rejects',
      join(folder, `rejects-${source}.ndjson`),
      join(data, `${source}.ndjson`),
    ]);
  }
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--store', store, '--port', String(port)], {
    env: { ...process.env, IDGRAPH_API_KEYS: keys, HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await listening(child);
  return {
    url: `http://127.0.0.1:${port}`,
    folder,
    data,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      await rm(folder, { recursive: true, force: true });
    },
  };
}

function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.includes('idgraph API on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`idgraph serve ended (${code}): ${err.slice(-500)}`)));
  });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
}
