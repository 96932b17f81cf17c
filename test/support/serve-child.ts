/** `idgraph serve` in a child process of its own on a free port, for tests that talk to it over HTTP. */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './free-port.js';

const RUN_CLI = new URL('./run-cli.ts', import.meta.url).pathname;

export interface ServeChild {
  readonly child: ChildProcess;
  readonly url: string;
  /** What it wrote to stderr so far. */
  readonly log: () => string;
  /** What it wrote to stdout so far: the request log, one JSON object a line. */
  readonly out: () => string;
}

/** Starts `idgraph serve ARGS --port N` with one admin key (and `env`); resolves once it listens. */
export async function startServe(
  args: readonly string[],
  adminKey: string,
  env: Record<string, string> = {},
): Promise<ServeChild> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', RUN_CLI, 'serve', ...args, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, IDGRAPH_API_KEYS: `${adminKey}:admin`, ...env },
  });
  let err = '';
  let out = '';
  // Read even when no test looks at it: a full pipe would stall the service's logging.
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const listening = () => {
      if (err.includes('idgraph API on')) {
        child.stderr?.off('data', listening);
        child.off('exit', exited);
        resolve();
      }
    };
    const exited = (code: number | null) => reject(new Error(`serve exited with ${code}: ${err}`));
    child.stderr?.on('data', listening);
    child.on('exit', exited);
  });
  return { child, url: `http://127.0.0.1:${port}`, log: () => err, out: () => out };
}
