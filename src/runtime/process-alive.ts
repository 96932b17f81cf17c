import { readFileSync } from 'node:fs';

/**
 * Whether a process of this ID is running: signal 0 checks without sending anything. A zombie (a
 * process that has exited and waits for its parent to collect it, as a `kill -9`ed child does for
 * a moment) still answers the signal but holds nothing any more, so it counts as gone.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !hasExited(pid);
}

/** A zombie or a dead task by Linux's /proc/PID/stat; where there is no /proc, the signal's answer stands. */
function hasExited(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return false;
  }
  // "PID (command) STATE ...": the command may hold spaces and parentheses, so the state is found
  // after the last closing parenthesis.
  const state = stat.charAt(stat.lastIndexOf(')') + 2);
  return state === 'Z' || state === 'X';
}
