/**
 * The read cache: entries live for the commit they were read at and go all at once when the commit
 * moves; the bound holds; the commit watch polls only when its last look is too old; and on a real
 * engine and store the cached answers are the store's, commit after commit.
 */
import { describe, expect, it } from 'vitest';
import { CommitCache } from '../../../src/store/read-cache/commit-cache.js';
import { CommitWatch } from '../../../src/store/read-cache/commit-watch.js';
import { openEngine, storeOf } from '../../support/engine.js';
import { cacheAnswersAsStore } from '../../support/read-cache-check.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

describe('CommitCache', () => {
  it('serves an entry at the commit it was read at, and drops every entry when the commit moves', () => {
    const cache = new CommitCache(10);
    cache.advance(3);
    cache.remember('a', ['p1'], 3);
    cache.remember('b', undefined, 3);
    expect(cache.lookup('a')).toEqual({ value: ['p1'] });
    expect(cache.lookup('b')).toEqual({ value: undefined });
    expect(cache.advance(3)).toBe(false);
    expect(cache.advance(2)).toBe(false);
    expect(cache.lookup('a')).toBeDefined();
    expect(cache.advance(4)).toBe(true);
    expect(cache.lookup('a')).toBeUndefined();
    expect(cache.lookup('b')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.counts).toEqual({ hits: 3, misses: 2, drops: 1 });
  });

  it('does not keep an answer read at a commit that has moved on since', () => {
    const cache = new CommitCache(10);
    cache.advance(5);
    const readAt = cache.commit;
    cache.advance(6);
    cache.remember('a', ['p1'], readAt);
    expect(cache.lookup('a')).toBeUndefined();
  });

  it('holds at most its bound, the least recently used going first', () => {
    const cache = new CommitCache(3);
    for (const key of ['a', 'b', 'c']) cache.remember(key, key, 0);
    cache.lookup('a');
    cache.remember('d', 'd', 0);
    expect(cache.size).toBe(3);
    expect(cache.lookup('b')).toBeUndefined();
    expect(cache.lookup('a')).toEqual({ value: 'a' });
    expect(cache.lookup('d')).toEqual({ value: 'd' });
  });

  it('keeps nothing when off, but still tracks the commit', () => {
    const cache = new CommitCache(0);
    expect(cache.enabled).toBe(false);
    cache.remember('a', 'a', 0);
    expect(cache.lookup('a')).toBeUndefined();
    cache.advance(7);
    expect(cache.commit).toBe(7);
  });
});

describe('CommitWatch', () => {
  /** A store whose commit counter the test moves, counting the looks at it; a clock the test moves. */
  const counter = () => {
    const state = { last: 0, looks: 0, now: 0 };
    const store = {
      lastCommit: async () => {
        state.looks++;
        return state.last;
      },
      lastCommitAfter: async () => {
        state.looks++;
        return state.last;
      },
    };
    return { state, store };
  };

  it('looks at the commit counter once per interval, shared by the reads, and never while idle', async () => {
    const { state, store } = counter();
    const cache = new CommitCache(10);
    const watch = new CommitWatch(store, cache, 100, () => state.now);
    state.last = 4;
    expect(await Promise.all([watch.current(), watch.current(), watch.current()])).toEqual([4, 4, 4]);
    expect(state.looks).toBe(1);
    cache.remember('a', 'x', 4);
    state.last = 5;
    state.now = 40;
    expect(await watch.current()).toBe(4);
    expect(cache.lookup('a')).toEqual({ value: 'x' });
    expect(state.looks).toBe(1);
    // Past the interval the read waits for a look, which finds commit 5 and drops the entry.
    state.now = 100;
    expect(await watch.current()).toBe(5);
    expect(cache.lookup('a')).toBeUndefined();
    expect(state.looks).toBe(2);
  });

  it('moves at once on its own commits', async () => {
    const { state, store } = counter();
    const cache = new CommitCache(10);
    const watch = new CommitWatch(store, cache, 100, () => state.now);
    await watch.current();
    cache.remember('a', 'x', 0);
    watch.committed(1);
    expect(watch.commit).toBe(1);
    expect(watch.ownCommits).toBe(1);
    expect(cache.lookup('a')).toBeUndefined();
  });

  it('reaches a commit the store has, and gives up on one it never gets', async () => {
    const { state, store } = counter();
    const watch = new CommitWatch(store, new CommitCache(10), 100_000);
    state.last = 9;
    expect(await watch.reach(9, '', 1000)).toBe(true);
    expect(watch.commit).toBe(9);
    const looks = state.looks;
    expect(await watch.reach(3, '', 1000)).toBe(true);
    expect(state.looks).toBe(looks);
    expect(await watch.reach(10, '', 50)).toBe(false);
  });
});

describe('CachedReads on the embedded store', () => {
  it('answers lookups and profiles as the store does, after every kind of commit', async () => {
    const engine = await openEngine(await tempDir());
    const { counts } = await cacheAnswersAsStore(engine, storeOf(engine));
    // The second round of each step was answered from the cache; each commit dropped the entries.
    expect(counts.hits).toBeGreaterThan(0);
    expect(counts.drops).toBeGreaterThanOrEqual(6);
    await storeOf(engine).close();
  });
});
