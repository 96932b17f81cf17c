/**
 * Match-rate reports run in the background, so a client can show how far a large one has come (a
 * 1M-member audience takes seconds): a run is started, then asked for its progress until its report
 * is there. Runs live in this process only: an instance answers for the runs it started. Finished
 * runs are kept a while for the client to fetch, and the oldest go first past a bound, so a busy
 * server does not grow.
 */
import { randomUUID } from 'node:crypto';
import type { MatchReport } from '../core/audience/report-types.js';
import type { DestinationId } from '../core/destinations/destination-profile.js';
import type { PassProgress } from './pass-progress.js';

export type ReportRunStatus = 'running' | 'done' | 'failed';

export interface ReportRun {
  readonly id: string;
  readonly audience: string;
  readonly destination: DestinationId;
  readonly startedAt: string;
  status: ReportRunStatus;
  progress: PassProgress;
  report?: MatchReport;
  /** Why a run failed, as the API answers errors (code and message). */
  error?: { readonly code: string; readonly message: string };
  finishedAtMs?: number;
}

/** How a run computes its report: the audience service's `reports`, with a progress listener. */
export type RunReport = (
  audience: string,
  destination: DestinationId,
  progress: (progress: PassProgress) => void,
) => Promise<MatchReport>;

export interface ReportRunsOptions {
  /** Finished runs older than this are dropped. */
  readonly keepMs?: number;
  /** At most this many runs are kept; the oldest finished ones go first. */
  readonly maxRuns?: number;
  readonly now?: () => number;
}

export class ReportRuns {
  private readonly runs = new Map<string, ReportRun>();
  private readonly keepMs: number;
  private readonly maxRuns: number;
  private readonly now: () => number;

  constructor(options: ReportRunsOptions = {}) {
    this.keepMs = options.keepMs ?? 15 * 60_000;
    this.maxRuns = options.maxRuns ?? 50;
    this.now = options.now ?? Date.now;
  }

  /** Starts a run; `describeError` turns a failure into the code and message the API would answer. */
  start(
    audience: string,
    destination: DestinationId,
    compute: RunReport,
    describeError: (error: unknown) => { code: string; message: string },
  ): ReportRun {
    this.prune();
    const run: ReportRun = {
      id: `run_${randomUUID()}`,
      audience,
      destination,
      startedAt: new Date(this.now()).toISOString(),
      status: 'running',
      progress: { step: 'members', done: 0, total: 0 },
    };
    this.runs.set(run.id, run);
    compute(audience, destination, (progress) => {
      run.progress = progress;
    }).then(
      (report) => {
        run.report = report;
        run.status = 'done';
        run.finishedAtMs = this.now();
      },
      (error: unknown) => {
        run.error = describeError(error);
        run.status = 'failed';
        run.finishedAtMs = this.now();
      },
    );
    return run;
  }

  get(id: string): ReportRun | undefined {
    this.prune();
    return this.runs.get(id);
  }

  private prune(): void {
    const now = this.now();
    for (const [id, run] of this.runs) {
      if (run.finishedAtMs !== undefined && now - run.finishedAtMs > this.keepMs) this.runs.delete(id);
    }
    // Past the bound, the oldest finished runs go; running ones stay (their clients are waiting).
    for (const [id, run] of this.runs) {
      if (this.runs.size <= this.maxRuns) break;
      if (run.status !== 'running') this.runs.delete(id);
    }
  }
}
