import { readEnv } from '../config/env.js';
import { processIo } from './io.js';
import { runCli } from './program.js';

/** The CLI's start-up: the environment is parsed here, once, and handed down with the output streams. */
export async function main(argv: readonly string[]): Promise<number> {
  let env: ReturnType<typeof readEnv>;
  try {
    env = readEnv();
  } catch (error) {
    process.stderr.write(`idgraph: ${(error as Error).message}\n`);
    return 2;
  }
  return runCli(argv, processIo(env));
}
