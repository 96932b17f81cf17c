import { processIo } from './io.js';
import { runCli } from './program.js';

export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, processIo);
}
