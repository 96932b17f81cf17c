/**
 * Saved segments: an audience defined by conditions, kept beside the audiences as
 * `.segments/<id>.json` with its audit trail (who created and changed it, when) and the commit its
 * members were last resolved against. The audience of the same id holds the members themselves.
 */
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { SegmentCondition } from '../core/audience/segment.js';
import { AUDIENCE_ID } from './audience-store.js';

export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: 'created' | 'changed';
}

export interface SavedSegment {
  readonly id: string;
  readonly name: string;
  readonly conditions: readonly SegmentCondition[];
  readonly audit: readonly AuditEntry[];
  /** The commit of the graph the members were last resolved against, and when. */
  readonly resolvedCommit: number;
  readonly resolvedAt: string;
}

export class SegmentStore {
  private readonly folder: string;

  constructor(audiencesFolder: string) {
    this.folder = join(audiencesFolder, '.segments');
  }

  async get(id: string): Promise<SavedSegment | undefined> {
    if (!AUDIENCE_ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(join(this.folder, `${id}.json`), 'utf8')) as SavedSegment;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(): Promise<SavedSegment[]> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    const found = await Promise.all(
      names.filter((name) => name.endsWith('.json')).map((name) => this.get(name.slice(0, -'.json'.length))),
    );
    return found.filter((segment): segment is SavedSegment => segment !== undefined);
  }

  /** Written beside, flushed and renamed over, so a crash leaves the old segment or the new one. */
  async put(segment: SavedSegment): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const path = join(this.folder, `${segment.id}.json`);
    const handle = await open(`${path}.tmp`, 'w');
    try {
      await handle.write(`${JSON.stringify(segment, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(`${path}.tmp`, path);
  }
}
