/**
 * How this process learns the graph's latest commit, cheaply: its own commits at once (the engine
 * tells it), and other processes' through one read of the commit counter that all requests share,
 * made at most every `pollMs`. A read asks `current()` before using the cache: it waits for a poll
 * only when the last one is `pollMs` old or more, and past half of that a poll starts in the
 * background, so under steady traffic requests rarely wait. An idle instance polls nothing.
 * `reach()` waits (bounded) for a commit a client names in a consistency token.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphReads } from '../graph-store.js';
import type { CommitCache } from './commit-cache.js';

/** Longest pause between two looks at the commit counter while waiting for a commit. */
const MAX_PAUSE_MS = 100;

export class CommitWatch {
  private polledAt = Number.NEGATIVE_INFINITY;
  private polling: Promise<void> | undefined;
  /** Commits this process wrote so far (the write answers' tokens use it). */
  private own = 0;

  constructor(
    private readonly store: Pick<GraphReads, 'lastCommit' | 'lastCommitAfter'>,
    private readonly cache: CommitCache,
    private readonly pollMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The latest commit known, without looking. */
  get commit(): number {
    return this.cache.commit;
  }

  /** How many commits this process wrote: a write answer compares it before and after. */
  get ownCommits(): number {
    return this.own;
  }

  /** A commit this process wrote, durable now. */
  committed(commit: number): void {
    this.own++;
    this.cache.advance(commit);
  }

  /** The latest commit, looked up less than `pollMs` ago (waiting for a poll only when it is older). */
  async current(): Promise<number> {
    const age = this.now() - this.polledAt;
    if (age >= this.pollMs) await this.poll();
    else if (age >= this.pollMs / 2) this.poll().catch(() => undefined);
    return this.cache.commit;
  }

  /** Looks at the commit counter now (a look in progress is shared). */
  poll(): Promise<void> {
    this.polling ??= (async () => {
      const started = this.now();
      try {
        this.cache.advance(await this.store.lastCommit());
        this.polledAt = started;
      } finally {
        this.polling = undefined;
      }
    })();
    return this.polling;
  }

  /**
   * Waits until this process has seen `commit`, reading the counter once the store caught up with
   * `position` (a Neo4j cluster member first applies the transactions it names), for at most
   * `waitMs`. False when the commit was not seen by then.
   */
  async reach(commit: number, position: string, waitMs: number): Promise<boolean> {
    const deadline = this.now() + waitMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      if (this.cache.commit >= commit) return true;
      const left = deadline - this.now();
      if (left <= 0) return false;
      const read = this.store.lastCommitAfter(position);
      const last = await Promise.race([read, sleep(left, undefined)]);
      if (last === undefined) {
        read.catch(() => undefined);
        return false;
      }
      this.cache.advance(last);
      if (last >= commit) return true;
      if (this.now() + pause >= deadline) return false;
      await sleep(pause);
    }
  }
}
