/**
 * The embedded store's watermarks of incremental sources (sources.json): kept across a reopen,
 * replaced per source, read by a reader, refused to a reader's write, and a damaged file named.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const crm = {
  source: 'crm',
  origin: 'postgresql://db:5432/shop#table:customers',
  column: 'updated_at',
  watermark: '2024-03-04 09:00:00+00',
  at: '2026-01-01T00:00:00.000Z',
};

describe('the embedded store’s source watermarks', () => {
  it('are kept across a reopen, one per source, the newest replacing the last', async () => {
    const folder = join(await tempDir(), 'store');
    let store = await EmbeddedStore.open(folder);
    expect(await store.sourceState('crm')).toBeUndefined();
    await store.rememberSourceState(crm);
    await store.rememberSourceState({ ...crm, source: 'web', column: 'seen_at' });
    await store.rememberSourceState({ ...crm, watermark: '2024-03-05 00:00:00+00' });
    await store.close();

    store = await EmbeddedStore.open(folder);
    expect(await store.sourceState('crm')).toEqual({ ...crm, watermark: '2024-03-05 00:00:00+00' });
    expect((await store.sourceState('web'))?.column).toBe('seen_at');
    await store.close();
    // Written whole, as JSON a person can read; no temporary file left beside it.
    const text = await readFile(join(folder, 'sources.json'), 'utf8');
    expect(Object.keys(JSON.parse(text))).toEqual(['crm', 'web']);
    await expect(readFile(join(folder, 'sources.json.rewrite'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('are read by a reader beside the writer, which alone may change them', async () => {
    const folder = join(await tempDir(), 'store');
    const writer = await EmbeddedStore.open(folder);
    try {
      await writer.rememberSourceState(crm);
      const reader = await EmbeddedStore.openReadOnly(folder);
      try {
        expect(await reader.sourceState('crm')).toEqual(crm);
        await expect(reader.rememberSourceState({ ...crm, watermark: 'x' })).rejects.toMatchObject({
          code: 'STORE_READ_ONLY',
        });
      } finally {
        await reader.close();
      }
    } finally {
      await writer.close();
    }
  });

  it('in a damaged file stop the store from opening, with what to do', async () => {
    const folder = join(await tempDir(), 'store');
    await (await EmbeddedStore.open(folder)).close();
    await writeFile(join(folder, 'sources.json'), '{"crm": ');
    await expect(EmbeddedStore.open(folder)).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
      message: expect.stringContaining('delete it to read every source in full again'),
    });
    // The failed open let the lock go: once the file is removed the store opens.
    await writeFile(join(folder, 'sources.json'), '{}');
    await (await EmbeddedStore.open(folder)).close();
  });
});
