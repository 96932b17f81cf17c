/**
 * Replacing a file as a whole or not at all: the new content is written beside it, flushed, renamed
 * over it, and the rename made durable, so a crash at any point leaves the old file or the new one.
 */
import { type FileHandle, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function replaceFile(path: string, write: (out: FileHandle) => Promise<void>): Promise<void> {
  const temporary = `${path}.rewrite`;
  const out = await open(temporary, 'w');
  try {
    await write(out);
    await out.datasync();
  } finally {
    await out.close();
  }
  await rename(temporary, path);
  await syncFolder(dirname(path));
}

/** Makes a rename in this folder durable. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
