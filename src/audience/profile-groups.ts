/**
 * An audience's resolved members grouped by profile: what its rows said about each profile. Small
 * audiences are grouped in one map. Large ones are spread over files by a hash of the profile ID
 * (hash partitioning, as a GRACE hash join does): every row of a profile lands in the same file, so
 * each file is grouped alone and the memory held is one file's worth, however large the audience.
 * Files hold member rows (raw identifiers among them), so they live beside the audiences and are
 * removed when the work is done.
 */
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PersonValue } from '../core/audience/person.js';
import { fnv1a32 } from '../core/fnv1a.js';
import type { RecordRef } from '../core/resolve/types.js';
import { isProcessAlive } from '../runtime/process-alive.js';

/** What an audience's rows said about one profile. */
export interface ProfileMembers {
  rows: number;
  /** A member named the whole profile, so there is no narrower "before" view. */
  wholeProfile: boolean;
  /** Records the rows named, read again when the person is built. */
  records?: RecordRef[];
  /** Raw values of identifier rows that reached the profile. */
  values?: PersonValue[];
}

/** One row's contribution to its profile. */
export type MemberNote =
  | { readonly kind: 'profile' }
  | { readonly kind: 'record'; readonly ref: RecordRef }
  | { readonly kind: 'values'; readonly values: readonly PersonValue[] };

export interface ProfileGroups {
  /** How many groups (maps) the profiles come in. */
  readonly parts: number;
  note(profileId: string, note: MemberNote): void;
  /** Writes out what was noted so far (called between batches of members). */
  flush(): Promise<void>;
  /** The profiles of one part. Parts of two audiences with as many parts hold the same profiles. */
  load(part: number): Promise<Map<string, ProfileMembers>>;
  /** Removes the files, if any. */
  dispose(): Promise<void>;
}

export function addNote(groups: Map<string, ProfileMembers>, profileId: string, note: MemberNote): void {
  let entry = groups.get(profileId);
  if (!entry) {
    entry = { rows: 0, wholeProfile: false };
    groups.set(profileId, entry);
  }
  entry.rows++;
  if (note.kind === 'profile') entry.wholeProfile = true;
  else if (note.kind === 'record') {
    entry.records = entry.records ?? [];
    entry.records.push(note.ref);
  } else {
    entry.values = entry.values ?? [];
    entry.values.push(...note.values);
  }
}

export class InMemoryGroups implements ProfileGroups {
  readonly parts = 1;
  private readonly groups = new Map<string, ProfileMembers>();

  note(profileId: string, note: MemberNote): void {
    addNote(this.groups, profileId, note);
  }

  async flush(): Promise<void> {}

  async load(): Promise<Map<string, ProfileMembers>> {
    return this.groups;
  }

  async dispose(): Promise<void> {}
}

/**
 * Groups that keep only which profiles were reached: a suppressing audience needs no more, so its
 * named records and raw values are not held (or written) at all.
 */
export function profileIdsOnly(groups: ProfileGroups): ProfileGroups {
  return {
    parts: groups.parts,
    note: (profileId) => groups.note(profileId, { kind: 'profile' }),
    flush: () => groups.flush(),
    load: (part) => groups.load(part),
    dispose: () => groups.dispose(),
  };
}

const WORK_PREFIX = 'work-';

/**
 * Removes working folders left by processes that died mid-report (their folder names carry their
 * process ID), so member rows do not linger on disk. Folders of live processes are theirs.
 */
export async function removeAbandonedWork(parent: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(WORK_PREFIX.length).split('-')[0]);
    if (!name.startsWith(WORK_PREFIX) || !Number.isInteger(pid) || isProcessAlive(pid)) continue;
    await rm(join(parent, name), { recursive: true, force: true });
  }
}

export class PartitionedGroups implements ProfileGroups {
  private readonly pending: string[];
  private folder: string | undefined;

  constructor(
    private readonly parent: string,
    readonly parts: number,
  ) {
    this.pending = Array.from({ length: parts }, () => '');
  }

  note(profileId: string, note: MemberNote): void {
    const part = partOf(profileId, this.parts);
    this.pending[part] += `${JSON.stringify([profileId, note])}\n`;
  }

  async flush(): Promise<void> {
    for (let part = 0; part < this.parts; part++) await this.flushPart(part);
  }

  async load(part: number): Promise<Map<string, ProfileMembers>> {
    const groups = new Map<string, ProfileMembers>();
    if (!this.folder) return groups;
    const lines = createInterface({ input: createReadStream(join(this.folder, `${part}.ndjson`), 'utf8') });
    for await (const line of lines) {
      if (line === '') continue;
      const [profileId, note] = JSON.parse(line) as [string, MemberNote];
      addNote(groups, profileId, note);
    }
    return groups;
  }

  async dispose(): Promise<void> {
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
  }

  private async flushPart(part: number): Promise<void> {
    if (this.pending[part] === '' && this.folder) return;
    if (!this.folder) {
      await mkdir(this.parent, { recursive: true });
      this.folder = await mkdtemp(join(this.parent, `${WORK_PREFIX}${process.pid}-`));
      // Every part gets a file, so load() finds one even for a part no profile hashed to.
      for (let index = 0; index < this.parts; index++) await appendFile(join(this.folder, `${index}.ndjson`), '');
    }
    await appendFile(join(this.folder, `${part}.ndjson`), this.pending[part] as string);
    this.pending[part] = '';
  }
}

/** The part a profile belongs to, by a hash that spreads the random part of profile IDs evenly. */
export function partOf(profileId: string, parts: number): number {
  return fnv1a32(profileId) % parts;
}
