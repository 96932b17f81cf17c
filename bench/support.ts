import { readFileSync } from 'node:fs';
import { resourceUsage } from 'node:process';
import { loadRulesText } from '../src/engine/rules/load-rules.js';
import type { LoadedRules } from '../src/engine/rules/loaded-rules.js';

export function loadRules(path: string): LoadedRules {
  const result = loadRulesText(readFileSync(path, 'utf8'), path);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.rules;
}

export function loadDefaultRules(): LoadedRules {
  return loadRules(new URL('../rules/default.yaml', import.meta.url).pathname);
}

/** Peak resident set size of this process so far, in MB. */
export function peakRss(): number {
  return Math.round(resourceUsage().maxRSS / 1024);
}

export function report(line: string): void {
  process.stdout.write(`${line}\n`);
}
