/**
 * One commit at a time, in the order asked, and again on a lost race: on a real embedded store, whose
 * turn calls are counted. The races are lost by the work itself (the STORE_CONFLICT a store raises
 * when another process committed first).
 */
import { setTimeout } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CommitQueue } from '../../../src/engine/commit/commit-queue.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { StoreError } from '../../../src/store/store-error.js';
import { withStoreMethods } from '../../support/store-methods.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

async function countedStore() {
  const store = await EmbeddedStore.open(await tempDir());
  const turns = { claimed: 0, released: 0 };
  const counted = withStoreMethods(store, {
    claimTurn: (claimTurn) => {
      turns.claimed++;
      return claimTurn();
    },
    releaseTurn: (releaseTurn) => {
      turns.released++;
      return releaseTurn();
    },
  });
  return { store, counted, turns };
}

const lostRace = () => new StoreError('STORE_CONFLICT', 'another process committed first');

describe('CommitQueue', () => {
  it('runs operations one at a time in the order asked; a failure does not stop the next', async () => {
    const { store, counted } = await countedStore();
    const queue = new CommitQueue(counted);
    const log: string[] = [];
    const slow = queue.run(async (commit) => {
      log.push(`slow starts for commit ${commit}`);
      await setTimeout(30);
      log.push('slow ends');
      return 'slow';
    });
    const failing = queue.run(async () => {
      log.push('failing runs');
      throw new Error('refused');
    });
    const last = queue.run(async () => {
      log.push('last runs');
      return 'last';
    });
    await expect(slow).resolves.toBe('slow');
    await expect(failing).rejects.toThrow('refused');
    await expect(last).resolves.toBe('last');
    expect(log).toEqual(['slow starts for commit 1', 'slow ends', 'failing runs', 'last runs']);
    await store.close();
  });

  it('runs an operation again after a lost race, claims the turn after two, and gives it up after', async () => {
    const { store, counted, turns } = await countedStore();
    const queue = new CommitQueue(counted);
    const tries: number[] = [];
    const done = await queue.run(async (commit) => {
      tries.push(commit);
      if (tries.length < 3) throw lostRace();
      return 'committed';
    });
    expect(done).toBe('committed');
    // The store has no commit, so each try is given commit 1, read anew.
    expect(tries).toEqual([1, 1, 1]);
    expect(turns).toEqual({ claimed: 1, released: 1 });
    await store.close();
  });

  it('passes any other failure on at once, and a race lost 20 times in a row', async () => {
    const { store, counted, turns } = await countedStore();
    const queue = new CommitQueue(counted);
    let tries = 0;
    await expect(
      queue.run(async () => {
        tries++;
        throw new StoreError('STORE_FAILED', 'the database refused the statement');
      }),
    ).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(tries).toBe(1);
    expect(turns).toEqual({ claimed: 0, released: 0 });

    tries = 0;
    await expect(
      queue.run(async () => {
        tries++;
        throw lostRace();
      }),
    ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    expect(tries).toBe(20);
    // Claimed after each loss from the second to the 19th (the 20th is final), and given up once.
    expect(turns).toEqual({ claimed: 18, released: 1 });
    await store.close();
  });

  it('retries a step of a running operation on the spot, without waiting behind later operations', async () => {
    const { store, counted } = await countedStore();
    const queue = new CommitQueue(counted);
    const log: string[] = [];
    const outer = queue.run(async () => {
      let lost = false;
      const inner = await queue.retryingConflicts(async (commit) => {
        log.push(`inner try for commit ${commit}`);
        if (!lost) {
          lost = true;
          throw lostRace();
        }
        return 'inner';
      });
      log.push('outer ends');
      return inner;
    });
    const later = queue.run(async () => {
      log.push('later runs');
    });
    await expect(outer).resolves.toBe('inner');
    await later;
    expect(log).toEqual(['inner try for commit 1', 'inner try for commit 1', 'outer ends', 'later runs']);
    await store.close();
  });
});
