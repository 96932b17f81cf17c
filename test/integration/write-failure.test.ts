/**
 * A commit whose write fails part-way (here a file-size limit, as a disk that fills up) leaves the
 * store as it was: the part written is cut off, so the commits after it are written and read back.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { partition } from '../support/engine.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const run = promisify(execFile);
const CHILD = new URL('../support/ingest-past-limit.ts', import.meta.url).pathname;
/** In blocks of 1,024 bytes: room for the small commits, not for the large one's log entry. */
const FILE_SIZE_LIMIT = 64;

describe('a write that fails part-way', () => {
  it('is cut off, and the commits after it are kept', async () => {
    const folder = await tempDir();
    const { stdout } = await run('bash', [
      '-c',
      `ulimit -f ${FILE_SIZE_LIMIT} && exec "$0" --import tsx "$1" "$2"`,
      process.execPath,
      CHILD,
      folder,
    ]);
    expect(JSON.parse(stdout)).toEqual([{ ok: true }, { ok: false, code: 'EFBIG' }, { ok: true }]);
    expect((await stat(join(folder, 'wal.ndjson'))).size).toBeLessThan(FILE_SIZE_LIMIT * 1024);
    // The failed commit's event, written before its log entry failed, is cut off too.
    const events = (await readFile(join(folder, 'events.ndjson'), 'utf8')).trimEnd().split('\n');
    expect(events.map((line) => JSON.parse(line).records)).toEqual([['crm:before'], ['crm:after']]);

    const store = await EmbeddedStore.open(folder);
    expect(await store.lastCommit()).toBe(2);
    expect(await partition(store)).toEqual([['crm:after'], ['crm:before']]);
    const profile = await store.profileIdsOf(['crm:after']);
    expect(await store.eventsOf(profile.get('crm:after') as string)).toMatchObject([{ kind: 'profile_created' }]);
    await store.close();
  });
});
