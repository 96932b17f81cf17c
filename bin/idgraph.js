#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled dist/ (built by `npm install` via the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'idgraph: dist/ is missing. Run `npm install` (or `npm run build`) in the idgraph folder first.\n',
  );
  process.exit(2);
}
const { endQuietlyOnClosedPipe } = await import(new URL('../dist/cli/closed-pipe.js', import.meta.url).href);
endQuietlyOnClosedPipe();
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
