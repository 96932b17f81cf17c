/**
 * Ingest calls gathering into groups that will each be written as one commit (group commit). A
 * group is open from its first call until its turn to commit comes: calls of the same key (the
 * actor: a commit records one) that arrive meanwhile join it, up to a bound of rows, so a commit
 * stays small. A call that finds no open group starts one, which its owner queues; when nothing is
 * running that group's turn comes at once, so grouping adds no wait to a call on an idle engine.
 */
export interface CallGroup<C> {
  readonly key: string;
  readonly calls: C[];
  rows: number;
}

export class OpenGroups<C> {
  private readonly open = new Map<string, CallGroup<C>>();

  constructor(
    /** Rows a group takes at most; a single call larger than this is a group of its own. */
    private readonly maxRows: number,
  ) {}

  /** Adds the call to its key's open group; returns a new group when it started one (to be queued). */
  join(key: string, call: C, rows: number): CallGroup<C> | undefined {
    const group = this.open.get(key);
    if (group && group.rows + rows <= this.maxRows) {
      group.calls.push(call);
      group.rows += rows;
      return undefined;
    }
    const fresh: CallGroup<C> = { key, calls: [call], rows };
    this.open.set(key, fresh);
    return fresh;
  }

  /** The group's turn came: no call joins it any more. */
  close(group: CallGroup<C>): void {
    if (this.open.get(group.key) === group) this.open.delete(group.key);
  }

  /**
   * Closes every open group: another kind of operation was queued behind them, and calls made after
   * it must commit after it too, in the order they were made.
   */
  closeAll(): void {
    this.open.clear();
  }
}
