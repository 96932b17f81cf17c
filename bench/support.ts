import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import { loadRulesText } from '../src/engine/rules/load-rules.js';
import type { LoadedRules } from '../src/engine/rules/loaded-rules.js';
import type { LogSettings } from '../src/http/request-log.js';

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

/**
 * CPU seconds so far of a process, or of one thread (`/proc/PID/task/TID`), from Linux's stat file
 * under `procPath`: its own, and the children's it waited for. NaN where it cannot be read.
 */
export function cpuSecondsOf(procPath: string | undefined): { own: number; children: number } {
  try {
    if (procPath === undefined) throw new Error('no process');
    const stat = readFileSync(`${procPath}/stat`, 'utf8');
    // After the command name (in parentheses, may hold spaces): utime, stime, cutime and cstime are
    // fields 14 to 17 of the line, in ticks of 1/100 s.
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const [utime, stime, cutime, cstime] = fields.slice(11, 15) as [number, number, number, number];
    return { own: (utime + stime) / 100, children: (cutime + cstime) / 100 };
  } catch {
    return { own: Number.NaN, children: Number.NaN };
  }
}

/** The /proc folder of a process ID, if there is one. */
export const procOf = (pid: number | undefined): string | undefined => (pid === undefined ? undefined : `/proc/${pid}`);

/**
 * The API's log as `idgraph serve` writes it (a JSON line a request, at info), into a file of the
 * run's folder rather than the benchmark's output: a service pays for its log, so the figures do too.
 */
export const serviceLog = (folder: string): LogSettings => ({ level: 'info', file: join(folder, 'service.log') });
