import { runCli } from '../../src/cli/program.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in-process with captured output. */
export async function cli(...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(['node', 'idgraph', ...args], {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}
