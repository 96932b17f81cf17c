/**
 * Group commit for tracking calls. Commits go one at a time through the engine, and each costs
 * about the same whatever its size (two fsyncs on the embedded store), so calls that arrive while
 * one is being written wait together and go in the next commit as one group. A call is answered
 * once the commit holding its events is durable and resolved, as a call of its own would be; a
 * group that fails fails each of its calls, which their libraries then retry.
 */
import { type RecordSummary, recordRows, type TrackingDeps } from './record-events.js';
import type { EventRow } from './segment-row.js';

/** One group's outcome, for the log: counts and reasons only, never an identifier. */
export interface GroupSummary extends RecordSummary {
  readonly source: string;
  readonly calls: number;
  readonly events: number;
}

interface Waiting {
  readonly rows: readonly EventRow[];
  /** Events dropped before recording, by reason, counted with the group. */
  readonly dropped: readonly { readonly reason: string }[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class TrackingWriter {
  private readonly waiting = new Map<string, Waiting[]>();
  private writing = false;

  constructor(
    private readonly deps: TrackingDeps,
    private readonly onGroup: (summary: GroupSummary) => void = () => undefined,
    /** A group takes calls until it holds this many events (one call always goes, however large). */
    private readonly maxGroupEvents = 5000,
  ) {}

  /** Records a call's rows under a source; resolves once they are committed. */
  record(source: string, rows: readonly EventRow[], dropped: readonly { readonly reason: string }[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(source) ?? [];
      queue.push({ rows, dropped, resolve, reject });
      this.waiting.set(source, queue);
      void this.writeWaiting();
    });
  }

  private async writeWaiting(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      for (let next = this.takeGroup(); next; next = this.takeGroup()) {
        const { source, group } = next;
        let summary: RecordSummary;
        try {
          summary = await recordRows(
            this.deps,
            source,
            group.flatMap(({ rows }) => rows),
          );
        } catch (error) {
          for (const call of group) call.reject(error);
          continue;
        }
        for (const call of group) call.resolve();
        this.report(source, group, summary);
      }
    } finally {
      this.writing = false;
    }
  }

  /** The group's counts to `onGroup`, which cannot stop the calls behind it from being written. */
  private report(source: string, group: readonly Waiting[], summary: RecordSummary): void {
    const rejected = { ...summary.rejected };
    for (const { reason } of group.flatMap((call) => call.dropped)) rejected[reason] = (rejected[reason] ?? 0) + 1;
    try {
      this.onGroup({
        ...summary,
        rejected,
        source,
        calls: group.length,
        events: group.reduce((sum, call) => sum + call.rows.length + call.dropped.length, 0),
      });
    } catch {
      // A failing report (a closed log stream) loses the counts, never the events.
    }
  }

  /** The calls waiting longest for one source, up to the group's size. */
  private takeGroup(): { source: string; group: Waiting[] } | undefined {
    const [source, queue] = this.waiting.entries().next().value ?? [];
    if (source === undefined || queue === undefined) return undefined;
    let events = 0;
    let taken = 0;
    while (
      taken < queue.length &&
      (taken === 0 || events + (queue[taken] as Waiting).rows.length <= this.maxGroupEvents)
    ) {
      events += (queue[taken] as Waiting).rows.length;
      taken++;
    }
    const group = queue.splice(0, taken);
    // The source goes to the back, so a busy source does not keep another waiting.
    this.waiting.delete(source);
    if (queue.length > 0) this.waiting.set(source, queue);
    return { source, group };
  }
}
