/**
 * Answers read at one commit, kept until the graph moves past it: each entry is valid for the
 * commit it was read at, and when this process learns of a later commit (its own, or another
 * instance's through the poll) every entry is dropped at once. So two instances polling the same
 * commit counter drop their stale entries together, within one poll interval. Bounded by entry
 * count, least recently used first out.
 */
import { LRUCache } from 'lru-cache';

/** A cached answer; `value` undefined is a cached "nothing there". */
export interface Cached<V> {
  readonly value: V | undefined;
}

export interface CacheCounts {
  /** Answers served from the cache. */
  hits: number;
  /** Answers read from the store (then cached, if the commit had not moved meanwhile). */
  misses: number;
  /** Times the commit moved and the entries of the one before were dropped. */
  drops: number;
}

export class CommitCache {
  /** Absent when the cache is off (no entries allowed): only the commit is tracked then. */
  private readonly entries: LRUCache<string, Cached<unknown>> | undefined;
  private seen = 0;
  readonly counts: CacheCounts = { hits: 0, misses: 0, drops: 0 };

  constructor(maxEntries: number) {
    this.entries = maxEntries > 0 ? new LRUCache({ max: maxEntries }) : undefined;
  }

  get enabled(): boolean {
    return this.entries !== undefined;
  }

  /** The latest commit this process knows the graph to be at: every entry was read at it. */
  get commit(): number {
    return this.seen;
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** The graph is at `commit` now: a later one than known drops every entry. Returns whether it moved. */
  advance(commit: number): boolean {
    if (commit <= this.seen) return false;
    this.seen = commit;
    if (this.entries && this.entries.size > 0) {
      this.entries.clear();
      this.counts.drops++;
    }
    return true;
  }

  /** The answer cached under `key` at the current commit, counted as a hit or a miss. */
  lookup<V>(key: string): Cached<V> | undefined {
    const hit = this.entries?.get(key) as Cached<V> | undefined;
    if (hit) this.counts.hits++;
    else this.counts.misses++;
    return hit;
  }

  /**
   * Keeps an answer read at `readAt` (the commit known when the read started). If the commit moved
   * while it was read, it is not kept: it may be of the commit before.
   */
  remember<V>(key: string, value: V | undefined, readAt: number): void {
    if (readAt === this.seen) this.entries?.set(key, { value });
  }
}
