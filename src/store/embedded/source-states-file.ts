/**
 * The watermarks of incremental sources (graph-store.ts, SourceStates) in `sources.json` beside the
 * log: a small file rewritten whole at each change (replace-file.ts), so a crash leaves the old
 * watermarks or the new ones. They are not commits: replaying the log never needs them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceState } from '../graph-store.js';
import { StoreError } from '../store-error.js';
import { replaceFile } from './replace-file.js';

export const SOURCES_FILE = 'sources.json';

export async function readSourceStates(folder: string): Promise<Map<string, SourceState>> {
  const path = join(folder, SOURCES_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new StoreError('STORE_PATH_UNUSABLE', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
  try {
    const states = JSON.parse(text) as Record<string, SourceState>;
    return new Map(Object.entries(states));
  } catch {
    throw new StoreError('STORE_CORRUPT', `${path} is not valid JSON: delete it to read every source in full again`);
  }
}

export async function writeSourceStates(folder: string, states: ReadonlyMap<string, SourceState>): Promise<void> {
  const text = `${JSON.stringify(Object.fromEntries(states), null, 2)}\n`;
  await replaceFile(join(folder, SOURCES_FILE), async (out) => {
    await out.writeFile(text);
  });
}
