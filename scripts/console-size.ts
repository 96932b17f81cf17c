/**
 * Prints the gzipped size of the built console (target: under 500 KB), after `vite build`. The
 * console's HTTP test checks the same figure against the target.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const CONSOLE_BUDGET_BYTES = 500 * 1024;

/** Every file of the built console, with its gzipped size in bytes. */
export function consoleSizes(folder: string): { file: string; gzipped: number }[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { file: path.slice(folder.length + 1), gzipped: gzipSync(readFileSync(path), { level: 9 }).length };
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const folder = fileURLToPath(new URL('../dist/console', import.meta.url));
  const total = consoleSizes(folder).reduce((sum, entry) => sum + entry.gzipped, 0);
  const verdict = total <= CONSOLE_BUDGET_BYTES ? 'within' : 'OVER';
  process.stdout.write(`console assets: ${(total / 1024).toFixed(1)} KB gzipped (${verdict} the 500 KB budget)\n`);
  if (total > CONSOLE_BUDGET_BYTES) process.exitCode = 1;
}
