/**
 * The CLI in a child process of its own, for tests that need a second process (two writers at once)
 * or must kill or crash something under it.
 */
import { spawn } from 'node:child_process';

const RUN_CLI = new URL('./run-cli.ts', import.meta.url).pathname;
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;

export function cliInChild(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUN_CLI, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env,
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? 1, err }));
  });
}

/** `idgraph ingest` of one file with the default rules, quiet, in commits of `batchSize` records. */
export function ingestArgs(options: {
  store: string;
  source: string;
  file: string;
  rejects: string;
  batchSize: number;
}): string[] {
  return [
    'ingest',
    '--rules',
    RULES,
    '--store',
    options.store,
    '--source',
    options.source,
    '--batch-size',
    String(options.batchSize),
    '--no-progress',
    '--rejects',
    options.rejects,
    options.file,
  ];
}
