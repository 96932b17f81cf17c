/**
 * The folder of an embedded store, checked before anything is opened in it, so that a wrong
 * `--store` fails at once with a message that names the folder and what is wrong with it. A reader
 * needs a store that exists and creates nothing; a writer creates the folder when it is missing.
 *
 * Folders are created one level at a time rather than with `mkdir -p`: Node's recursive mkdir
 * never returns where the system refuses a folder without saying the parent is missing (it spins
 * on `/proc/nope`, where mkdir answers ENOENT under a parent that exists).
 */
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StoreError } from '../store-error.js';

/** The file that makes a folder a store: written by the first process that opens it to write. */
export const LOG_FILE = 'wal.ndjson';

/** The history events, one JSON line each (event-log.ts). */
export const EVENTS_FILE = 'events.ndjson';

/** For a reader: the folder must hold a store. Nothing is created. */
export async function requireStoreFolder(folder: string): Promise<void> {
  const kind = await kindOf(folder);
  if (kind === 'missing') {
    throw new StoreError(
      'STORE_NOT_FOUND',
      `no store in ${folder}: the folder does not exist (nothing was loaded there; check --store or IDGRAPH_STORE)`,
    );
  }
  if (kind === 'file') throw unusable(folder, 'it is a file, not a folder');
  if ((await kindOf(join(folder, LOG_FILE))) === 'missing') {
    throw new StoreError(
      'STORE_NOT_FOUND',
      `no store in ${folder}: the folder holds no ${LOG_FILE} (nothing was loaded there; check --store or IDGRAPH_STORE)`,
    );
  }
  await allowed(folder, constants.R_OK | constants.X_OK, 'no permission to read it');
}

/** For a writer: the folder is created when missing and must be one this process may write in. */
export async function prepareStoreFolder(folder: string): Promise<void> {
  const missing: string[] = [];
  let at = folder;
  for (;;) {
    const kind = await kindOf(at);
    if (kind === 'folder') break;
    if (kind === 'file') {
      throw unusable(folder, at === folder ? 'it is a file, not a folder' : `${at} is a file, not a folder`);
    }
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return;
      throw unusable(folder, `cannot create ${path} (${explain(error)})`);
    });
  }
  await allowed(folder, constants.R_OK | constants.W_OK | constants.X_OK, 'no permission to write in it');
}

type Kind = 'missing' | 'file' | 'folder';

async function kindOf(path: string): Promise<Kind> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a file stands where a folder above it should be; the walk up finds and names it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw unusable(path, explain(error as NodeJS.ErrnoException));
  }
}

async function allowed(folder: string, mode: number, reason: string): Promise<void> {
  try {
    await access(folder, mode);
  } catch {
    throw unusable(folder, reason);
  }
}

function unusable(folder: string, reason: string): StoreError {
  return new StoreError('STORE_PATH_UNUSABLE', `cannot use ${folder} as a store: ${reason}`);
}

function explain(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return 'no permission';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOENT':
      return 'the system refuses folders there';
    case 'ENOSPC':
      return 'no space left';
    default:
      return error.code ?? 'error';
  }
}
