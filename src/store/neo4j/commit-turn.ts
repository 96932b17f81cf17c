/**
 * The turn: how a writer that keeps losing the race for the commit lane to other processes is sure
 * to commit. It claims the turn (a short write transaction recording on Meta which writer holds it,
 * until when by the server's clock); while the claim stands every other writer's commit is refused
 * (STORE_CONFLICT, which the engine retries), and the holder's commit gives the turn up in its own
 * transaction. A writer that dies holding it blocks the others for one lease at most.
 *
 * A claim while another writer's claim stands waits for it to be given up or to run out, up to about
 * one lease: the waiter then commits next, so two writers that keep colliding take turns.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { type Neo4jConnection, run } from './connection.js';
import { claimTurn, lockMeta, releaseTurn } from './cypher/meta.js';

/** How long a claimed turn keeps other writers out if its holder never commits (a crash). */
export const TURN_LEASE_MS = 5_000;

export class CommitTurn {
  /** This store instance's name on Meta: random, so two processes never share one. */
  readonly writer = randomUUID();
  /** Whether this writer claimed the turn and has not given it up yet (as far as it knows). */
  private holding = false;

  constructor(
    private readonly db: Neo4jConnection,
    private readonly leaseMs: number = TURN_LEASE_MS,
  ) {}

  /** Claims (or renews) the turn, waiting up to about one lease for another writer's; whether it was had. */
  async claim(): Promise<boolean> {
    const deadline = Date.now() + this.leaseMs + 1_000;
    for (;;) {
      const { claimed, waitMs } = await this.db.write(
        async (tx) => {
          // Sent together; the server runs the claim after the lock is taken.
          const [, rows] = await Promise.all([
            run(tx, lockMeta(new Date().toISOString())),
            run(tx, claimTurn(this.writer, this.leaseMs)),
          ]);
          return { claimed: rows[0]?.get('claimed') === true, waitMs: Number(rows[0]?.get('waitMs') ?? 0) };
        },
        { turn: 'claim' },
      );
      if (claimed) {
        this.holding = true;
        return true;
      }
      if (Date.now() >= deadline) return false;
      // Polled, not slept through: the holder's commit gives the turn up long before its lease ends.
      await setTimeout(Math.max(1, Math.min(waitMs, 20 + Math.random() * 30)));
    }
  }

  /** The holder's commit gave the turn up (its first statement, commitGuard, does, in the commit's transaction). */
  committed(): void {
    this.holding = false;
  }

  /** Gives up a turn claimed and not used; nothing to do when none is held. */
  async release(): Promise<void> {
    if (!this.holding) return;
    await this.db.write((tx) => run(tx, releaseTurn(this.writer)), { turn: 'release' });
    this.holding = false;
  }
}
