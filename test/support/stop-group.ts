import type { ChildProcess } from 'node:child_process';

/**
 * Stops a server started `detached` with its whole process group (the launcher script and the
 * server it started): `signal` first, SIGKILL if it has not exited within 20 s.
 */
export async function stopGroup(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, signal);
  } catch {
    return;
  }
  const timeout = setTimeout(() => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {}
  }, 20_000);
  await exited;
  clearTimeout(timeout);
}
