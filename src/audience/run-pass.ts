/**
 * Runs an audience pass (core/audience/audience-pass.ts) over batches of people read from the
 * store, on this thread or spread over worker threads. With workers, this thread only reads: each
 * batch goes to the next worker with its records still encoded, up to four per worker in flight,
 * and the upload rows come back in the order the batches went out. At the end each worker hands
 * over what its reports counted, and the shares combine into the reports of the whole audience,
 * the same whatever the number of workers.
 */
import type { ResourceLimits } from 'node:worker_threads';
import { AudiencePass, type PassOutput, type PassPlan } from '../core/audience/audience-pass.js';
import { MatchReportBuilder, type ReportState } from '../core/audience/report.js';
import { overridesOf } from '../core/destinations/destination-overrides.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import { WorkerPool } from '../runtime/worker-pool.js';
import type { DestinationCatalog } from './destination-settings-file.js';
import { passSettings } from './evaluation-settings.js';
import type { PassTask, PassWorkerData } from './pass-worker.js';
import { buildPeople, type PeopleBatch } from './people-batch.js';

export interface PassEnvironment {
  readonly rules: LoadedRules;
  readonly catalog: DestinationCatalog;
  /** Worker threads; 0 evaluates on this thread. */
  readonly workers: number;
}

/** Filled in when the pass ends: a builder per destination of the plan, ready to finish. */
export interface PassResult {
  reports?: MatchReportBuilder[];
}

export interface PassRun {
  /** The upload rows batch by batch, in order; `result.reports` is set once the last is taken. */
  run(batches: AsyncIterable<PeopleBatch>, result: PassResult): AsyncGenerator<PassOutput>;
  /** Stops the workers, if any. */
  close(): Promise<void>;
}

/**
 * Batches out per worker at a time: enough that a worker finds its next batch waiting while this
 * thread reads. Measured on the benchmark audience: 1 gave 11.9-12.1 s, 2 11.5-11.8 s, 4 10.2-10.4 s,
 * 8 no better.
 */
const IN_FLIGHT_PER_WORKER = 4;

/**
 * A pass's young generation per worker. Each batch's people, views and rows are garbage a moment
 * later; with room for several batches they die before a collection instead of being copied.
 * Measured on the 1M-member benchmark audience (export with report): 13.9 s with V8's default,
 * 12.2-12.6 s with 192 MB; 384 MB was no faster and held more memory.
 */
const WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 192 };

/**
 * Starts the pass's threads at once: they boot (a fifth of a second built, more from source) while
 * the caller resolves the audience.
 */
export function startPass(plan: PassPlan, environment: PassEnvironment): PassRun {
  const { rules, catalog, workers } = environment;
  const settingsFor = passSettings(rules, catalog);
  const finish = (shares: readonly ReportState[][]): MatchReportBuilder[] =>
    plan.reports.map((destination, index) => {
      const builder = new MatchReportBuilder(settingsFor(destination, destination === plan.upload), plan.nowMs);
      for (const share of shares) builder.absorb(share[index] as ReportState);
      return builder;
    });

  if (workers === 0) {
    return {
      async *run(batches, result) {
        const pass = new AudiencePass(plan, settingsFor);
        for await (const batch of batches) yield pass.add(buildPeople(batch, rules.file, rules.normalizers));
        result.reports = finish([pass.states()]);
      },
      close: async () => {},
    };
  }
  const data: PassWorkerData = { rulesText: rules.text, destinations: overridesOf(catalog), plan };
  const pool = WorkerPool.start<PassTask, PassOutput | ReportState[]>(
    import.meta.url,
    'pass-worker',
    data,
    workers,
    WORKER_LIMITS,
  );
  return {
    async *run(batches, result) {
      const out: Promise<PassOutput>[] = [];
      for await (const batch of batches) {
        const answer = pool.run({ batch }) as Promise<PassOutput>;
        // Met when its turn comes; until then a rejection must not count as unhandled.
        answer.catch(() => undefined);
        out.push(answer);
        if (out.length >= workers * IN_FLIGHT_PER_WORKER) yield await (out.shift() as Promise<PassOutput>);
      }
      while (out.length > 0) yield await (out.shift() as Promise<PassOutput>);
      result.reports = finish((await pool.broadcast({ finish: true })) as ReportState[][]);
    },
    close: () => pool.close(),
  };
}
