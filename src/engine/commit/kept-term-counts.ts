/**
 * The term counts of the incremental path (core/resolve/term-frequencies.ts): how often each value
 * of the fields the rules weigh by term frequency occurs among the store's records. The engine keeps
 * them in memory between commits: counted once from the store's records when first needed, then
 * moved by each commit it writes (a batch is resolved with the store's records and its own counted,
 * as the bulk path counts every record it loads). When the store has moved on without this engine
 * (another process committed to a shared Neo4j), they are counted again.
 */
import { NO_TERM_FREQUENCIES, TermCounts, type TermFrequencies } from '../../core/resolve/term-frequencies.js';
import type { PreparedRecord } from '../../core/resolve/types.js';
import type { GraphReads } from '../../store/graph-store.js';

export class KeptTermCounts {
  private counts: TermCounts | undefined;
  /** The commit the counts are of; -1 when they are of none (not counted, or counted while it moved). */
  private countedAt = -1;
  private counting: { readonly commit: number; readonly counts: Promise<TermCounts> } | undefined;

  constructor(
    private readonly store: Pick<GraphReads, 'records' | 'lastCommit'>,
    private readonly fields: readonly string[],
    /** Counts already known, as of a commit (the records a rules change was resolved with). */
    known?: { readonly counts: TermCounts; readonly commit: number },
  ) {
    if (known) {
      this.counts = known.counts;
      this.countedAt = known.commit;
    }
  }

  /** The counts as of the store's commit `commit`; none to keep when the rules weigh no field. */
  asOf(commit: number): Promise<TermFrequencies> {
    if (this.fields.length === 0) return Promise.resolve(NO_TERM_FREQUENCIES);
    if (this.counts && this.countedAt === commit) return Promise.resolve(this.counts);
    if (this.counting?.commit !== commit) {
      const counts = this.countAll(commit);
      this.counting = { commit, counts };
      // A failed count is not kept: the next question counts again.
      counts
        .catch(() => undefined)
        .finally(() => {
          if (this.counting?.counts === counts) this.counting = undefined;
        });
    }
    return this.counting.counts;
  }

  /**
   * Moves the counts by a commit's records (each replaced version out, each new version in) before
   * it is resolved; gives back the function that takes the move back, for a commit that failed.
   */
  stage(removed: readonly PreparedRecord[], added: readonly PreparedRecord[]): () => void {
    const counts = this.counts;
    if (!counts || (removed.length === 0 && added.length === 0)) return () => undefined;
    for (const record of removed) counts.add(record, -1);
    for (const record of added) counts.add(record, 1);
    return () => {
      for (const record of added) counts.add(record, -1);
      for (const record of removed) counts.add(record, 1);
    };
  }

  /** The commit the staged move was for is durable: the counts are of it now. */
  committed(commit: number): void {
    if (this.counts) this.countedAt = commit;
  }

  private async countAll(commit: number): Promise<TermCounts> {
    const counts = new TermCounts(this.fields);
    for await (const record of this.store.records()) counts.add(record);
    // Counted while another process committed: right for no commit, so counted again next time.
    const still = (await this.store.lastCommit()) === commit;
    if (this.counting?.commit === commit) {
      this.counts = counts;
      this.countedAt = still ? commit : -1;
    }
    return counts;
  }
}
