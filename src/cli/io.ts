import type { Env } from '../config/env.js';

/**
 * What CLI commands take from and give to the process: where they write, and the environment,
 * parsed once at start-up (src/cli/main.ts). Injected so tests capture output and set variables
 * without touching the console or process.env.
 */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Env;
}

export function processIo(env: Env): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env,
  };
}

/**
 * A failure the user can act on: printed without a stack trace, with its exit code. A command that
 * has already printed its own report (e.g. every problem of a rules file) throws one with an empty message.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
