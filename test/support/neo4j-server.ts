/**
 * A Bolt URI for tests that need Neo4j, in this order: NEO4J_URI when set; a Neo4j container
 * (testcontainers) when a container runtime answers; otherwise the local launcher (scripts/neo4j.sh)
 * on a free port with a throw-away data folder. Tests that must own their server (authentication, a
 * crash and a restart) always get the launcher. The project's machines have no container runtime,
 * so there the launcher serves every suite.
 * There is no silent skip: when no server can be had the suite fails, in CI and elsewhere.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { stopGroup } from './stop-group.js';

export interface Neo4jServer {
  readonly uri: string;
  /** The launcher's process (the server's JVM, which ran the importer first with --import); none for others. */
  readonly pid?: number;
  /** Stops the server (SIGTERM) and deletes its data folder unless the caller chose the folder. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash or a lost host would; the data folder stays. */
  kill(): Promise<void>;
}

const SCRIPT = new URL('../../scripts/neo4j.sh', import.meta.url).pathname;
const READY_TIMEOUT_MS = 240_000;

export interface LaunchOptions {
  /** JVM heap and page cache: small for tests, larger for benchmarks. */
  readonly heap?: string;
  readonly pageCacheMb?: number;
  /** Turns authentication on: user neo4j with this password. */
  readonly password?: string;
  /** A data folder to start on (kept on stop, so a restart finds the graph); a fresh one otherwise. */
  readonly data?: string;
  readonly port?: number;
  /**
   * Always the local launcher, even when NEO4J_URI is set: for tests that must control the server
   * itself (authentication, a crash and a restart).
   */
  readonly own?: boolean;
  /**
   * Files `idgraph load --import-files` wrote: the launcher imports them into the (new) data folder
   * with Neo4j's offline importer before it serves it (`scripts/neo4j.sh --import`). Implies `own`.
   */
  readonly importFiles?: string;
}

const COMPOSE = new URL('../../docker-compose.yml', import.meta.url).pathname;

/** The Neo4j image docker-compose.yml runs, so tests and users get the same server. */
async function composeImage(): Promise<string> {
  const image = /^\s*image:\s*(neo4j:\S+)\s*$/m.exec(await readFile(COMPOSE, 'utf8'))?.[1];
  if (!image) throw new Error(`no neo4j image in ${COMPOSE}`);
  return image;
}

export async function startNeo4j(options: LaunchOptions = {}): Promise<Neo4jServer> {
  if (!options.own && !options.importFiles) {
    if (process.env.NEO4J_URI) {
      const uri = process.env.NEO4J_URI;
      const outside = async () => {};
      return { uri, stop: outside, kill: outside };
    }
    const container = await startContainer();
    if (container) return container;
  }
  return startLauncher(options);
}

/** A Neo4j container when Docker (or another runtime testcontainers knows) answers; undefined otherwise. */
async function startContainer(): Promise<Neo4jServer | undefined> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const { Neo4jContainer } = await import('@testcontainers/neo4j');
  const container = await new Neo4jContainer(await composeImage()).start();
  // The container wants its credentials; suites read them (and hand them to CLI children) from the
  // environment, as a user's shell would give them.
  process.env.NEO4J_USER = container.getUsername();
  process.env.NEO4J_PASSWORD = container.getPassword();
  return {
    uri: container.getBoltUri(),
    stop: async () => {
      await container.stop();
    },
    kill: async () => {
      await container.stop({ timeout: 0 });
    },
  };
}

async function startLauncher(options: LaunchOptions): Promise<Neo4jServer> {
  const build = spawnSync('bash', [SCRIPT, '--build-only'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the Neo4j launcher failed:\n${build.stderr}`);
  const port = options.port ?? (await freePort());
  const data = options.data ?? (await mkdtemp(join(tmpdir(), 'idgraph-neo4j-')));
  const child = spawn('bash', [SCRIPT, ...(options.importFiles ? ['--import', options.importFiles] : [])], {
    env: {
      ...process.env,
      NEO4J_PORT: String(port),
      NEO4J_DATA: data,
      NEO4J_HEAP: options.heap ?? '768m',
      NEO4J_PAGECACHE_MB: String(options.pageCacheMb ?? 128),
      NEO4J_PASSWORD: options.password ?? '',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForReady(child);
  return {
    uri: `bolt://127.0.0.1:${port}`,
    ...(child.pid ? { pid: child.pid } : {}),
    stop: async () => {
      await stopGroup(child, 'SIGTERM');
      if (!options.data) await rm(data, { recursive: true, force: true });
    },
    kill: () => stopGroup(child, 'SIGKILL'),
  };
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      void stopGroup(child);
      reject(new Error(`Neo4j did not become ready in ${READY_TIMEOUT_MS / 1000} s:\n${output.slice(-2000)}`));
    }, READY_TIMEOUT_MS);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('neo4j ready bolt://')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Neo4j exited with code ${code} before it was ready:\n${output.slice(-2000)}`));
    });
  });
}
