/**
 * The engine reads the store's rules only when a commit came since it last knew them: rules change
 * only in a commit, so its own commits leave them known, and another writer's commit (a rules change
 * among them, which it then takes up) sends it back to the store. On a real embedded store, two engines on it, the store's rules reads counted.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import type { GraphStore } from '../../../src/store/graph-store.js';
import { DEFAULT_RULES_TEXT, engineOn, rulesFrom } from '../../support/engine.js';
import { withStoreMethods } from '../../support/store-methods.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

const crm = (id: string, email: string) => [{ customer_id: id, country: 'GB', email }];

/** The store, with the number of times its rules were read so far. */
function countingRulesReads(store: GraphStore): { store: GraphStore; reads: () => number } {
  let reads = 0;
  const counted = withStoreMethods(store, {
    currentRules: (currentRules) => {
      reads++;
      return currentRules();
    },
  });
  return { store: counted, reads: () => reads };
}

describe('the rules in force, read from the store', () => {
  it('are read again only after a commit of another writer, whose rules change it takes up', async () => {
    const store = await EmbeddedStore.open(await tempDir());
    const counted = countingRulesReads(store);
    const rules = rulesFrom();
    const first = engineOn(counted.store, rules);
    const other = engineOn(store, rules);

    await first.ingest('crm', crm('c1', 'ann@x.co'));
    const afterFirstCommit = counted.reads();
    expect(afterFirstCommit).toBeGreaterThan(0);
    await first.ingest('crm', crm('c2', 'bob@x.co'));
    await first.ingest('crm', crm('c3', 'cat@x.co'));
    expect(counted.reads()).toBe(afterFirstCommit);

    await other.ingest('crm', crm('c4', 'dan@x.co'));
    await first.ingest('crm', crm('c5', 'eve@x.co'));
    expect(counted.reads()).toBe(afterFirstCommit + 1);

    await other.applyRules(rulesFrom(DEFAULT_RULES_TEXT.replace('shared_after: 3', 'shared_after: 4')), 'tester');
    await first.ingest('crm', crm('c6', 'fay@x.co'));
    expect(counted.reads()).toBe(afterFirstCommit + 2);
    await first.ingest('crm', crm('c7', 'gus@x.co'));
    expect(counted.reads()).toBe(afterFirstCommit + 2);
    // Rules this engine was started with that were never applied are refused, read or not.
    const stale = engineOn(counted.store, rules);
    await expect(stale.ingest('crm', crm('c8', 'hal@x.co'))).rejects.toMatchObject({ code: 'RULES_MISMATCH' });
    await store.close();
  });

  describe('for reads, at most once an interval', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('one look at a time, shared by the reads due one; ahead of time in the background', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const store = await EmbeddedStore.open(await tempDir());
      let reads = 0;
      /** Held looks: each waits until released. */
      const held: (() => void)[] = [];
      let holding = false;
      const slowed = withStoreMethods(store, {
        currentRules: async (currentRules) => {
          reads++;
          if (holding) await new Promise<void>((release) => held.push(release));
          return currentRules();
        },
      });
      const rules = rulesFrom();
      const engine = engineOn(slowed, rules);
      const other = engineOn(store, rules);
      await other.ingest('crm', crm('c1', 'ann@x.co'));

      vi.setSystemTime(100_000);
      holding = true;
      let answered = 0;
      const due = Array.from({ length: 50 }, () => engine.followStoredRulesEvery(1000).then(() => answered++));
      await vi.waitFor(() => expect(held).toHaveLength(1));
      expect(answered).toBe(0);
      held.shift()?.();
      await Promise.all(due);
      expect(reads).toBe(1);

      // Within three quarters of the interval: no look.
      vi.setSystemTime(100_700);
      await engine.followStoredRulesEvery(1000);
      expect(reads).toBe(1);

      // In its last quarter: the next look starts, and the read does not wait for it.
      await other.applyRules(rulesFrom(DEFAULT_RULES_TEXT.replace('shared_after: 3', 'shared_after: 4')), 'tester');
      vi.setSystemTime(100_800);
      await engine.followStoredRulesEvery(1000);
      expect(reads).toBe(2);
      expect(held).toHaveLength(1);
      expect(engine.readSide().rules.version).toBe(rules.version);

      // Past the interval a read waits, for the look in flight rather than a new one.
      vi.setSystemTime(101_100);
      let waited = false;
      const late = engine.followStoredRulesEvery(1000).then(() => {
        waited = true;
      });
      await Promise.resolve();
      expect(waited).toBe(false);
      held.shift()?.();
      await late;
      expect(reads).toBe(2);
      expect(engine.readSide().rules.version).not.toBe(rules.version);
      await store.close();
    });
  });
});
