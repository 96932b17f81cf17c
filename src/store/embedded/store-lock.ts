/**
 * The lock that makes one process the writer of a store folder: a file holding the writer's
 * process ID. A lock whose process is gone (crashed, killed, or a zombie waiting to be collected)
 * is taken over at once. Readers take no lock (see EmbeddedStore.openReadOnly).
 */
import { readFileSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { isProcessAlive } from '../../runtime/process-alive.js';
import { StoreError } from '../store-error.js';

/** Takes the folder's lock, or fails naming the live process that holds it and what to do instead. */
export async function acquireLock(lockPath: string, folder: string): Promise<void> {
  try {
    const handle = await open(lockPath, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder)) {
    throw new StoreError(
      'STORE_LOCKED',
      `the store in ${folder} is in use by process ${holder}${describeProcess(holder)}: reads work alongside it, ` +
        'but a write needs that process stopped first, or goes through its HTTP API when it is `idgraph serve`',
    );
  }
  await rm(lockPath, { force: true });
  await acquireLock(lockPath, folder);
}

/** " (idgraph serve)" when the holder's command line says so, where /proc tells. */
function describeProcess(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes('serve') ? ' (idgraph serve)' : '';
  } catch {
    return '';
  }
}
