import { runCli } from './program.js';
import { processIo } from './io.js';

export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, processIo);
}
