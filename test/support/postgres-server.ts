/**
 * A real PostgreSQL for tests, started by the project's own launcher (scripts/postgres.sh, the
 * `npm run postgres` script) on a free port with a throw-away data folder. POSTGRES_URL, when set,
 * names a server to use instead. There is no silent skip: when no server can be had the suite fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { stopGroup } from './stop-group.js';

export interface PostgresServer {
  /** A connection URL for the `postgres` user and database. */
  readonly url: string;
  /** Stops the server (SIGTERM, a clean shutdown) and deletes its data folder. */
  stop(): Promise<void>;
}

const SCRIPT = new URL('../../scripts/postgres.sh', import.meta.url).pathname;
const READY_TIMEOUT_MS = 60_000;

export async function startPostgres(): Promise<PostgresServer> {
  if (process.env.POSTGRES_URL) return { url: process.env.POSTGRES_URL, stop: async () => {} };
  const port = await freePort();
  const folder = await mkdtemp(join(tmpdir(), 'idgraph-postgres-'));
  // Run as root, the server drops to the `postgres` user, which must be able to enter this folder.
  await chmod(folder, 0o755);
  const child = spawn('bash', [SCRIPT], {
    env: { ...process.env, POSTGRES_PORT: String(port), POSTGRES_DATA: join(folder, 'data') },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitForConnection(url, child, () => output);
  } catch (error) {
    await stopGroup(child);
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    stop: async () => {
      await stopGroup(child);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Retries a connection until the server answers a query, it exits, or the time is up. */
async function waitForConnection(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited with code ${child.exitCode}:\n${output()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
    }
    if (Date.now() > deadline)
      throw new Error(`PostgreSQL did not answer in ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
