/**
 * One commit at a time: each operation runs after every operation queued before it, so it resolves
 * against the state the previous one left. Against a store other processes also write (Neo4j), an
 * operation whose commit lost the race (STORE_CONFLICT: the store refused it before writing
 * anything) runs again on the new state; one that keeps losing claims the turn to commit next.
 */
import { setTimeout } from 'node:timers/promises';
import type { GraphStore } from '../../store/graph-store.js';
import { StoreError } from '../../store/store-error.js';

/** Tries of an operation whose commits keep losing the race to other processes' commits. */
const CONFLICT_ATTEMPTS = 20;

/**
 * Races lost in a row after which an operation claims the turn to commit next (store.claimTurn): a
 * writer whose plans take longer than another's whole commit cycle would otherwise lose every try.
 */
const TURN_AFTER_CONFLICTS = 2;

/** What the queue asks of the store: the commit number to plan for, and the turn. */
export type CommitTurns = Pick<GraphStore, 'lastCommit' | 'claimTurn' | 'releaseTurn'>;

export class CommitQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: CommitTurns) {}

  /**
   * Runs `work` after everything queued before it, given the number its commit must have; again on
   * a lost race. A failure is the caller's and does not stop the operations queued after it.
   */
  run<T>(work: (commit: number) => Promise<T>): Promise<T> {
    const attempt = () => this.retryingConflicts(work);
    const result = this.tail.then(attempt, attempt);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs `work` now, again on a lost race: for a step of an operation the queue is running already
   * (one call of a failed group, tried alone), which must not wait behind the operations after it.
   */
  async retryingConflicts<T>(work: (commit: number) => Promise<T>): Promise<T> {
    let claimed = false;
    try {
      for (let tries = 1; ; tries++) {
        try {
          // The commit number is read before anything else: if another process commits while this
          // operation reads, the store refuses the stale number and the operation starts over.
          return await work((await this.store.lastCommit()) + 1);
        } catch (error) {
          if (!(error instanceof StoreError && error.code === 'STORE_CONFLICT') || tries >= CONFLICT_ATTEMPTS)
            throw error;
          // Claiming waits for another writer's turn to end; held, the next try is the next commit.
          if (tries >= TURN_AFTER_CONFLICTS && (await this.store.claimTurn())) {
            claimed = true;
            continue;
          }
          // A random pause, so two writers that collided do not collide again in lockstep.
          await setTimeout(Math.random() * 50 * tries);
        }
      }
    } finally {
      // A turn this operation did not commit in (it failed, or had nothing to write) is given up at
      // once rather than left to keep others out until its lease ends.
      if (claimed) await this.store.releaseTurn().catch(() => undefined);
    }
  }
}
