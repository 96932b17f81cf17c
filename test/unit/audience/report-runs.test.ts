import { describe, expect, it } from 'vitest';
import { ReportRuns, type RunReport } from '../../../src/audience/report-runs.js';
import type { MatchReport } from '../../../src/core/audience/report-types.js';

const report = { funnel: {} } as unknown as MatchReport;
const describeError = (error: unknown) => ({ code: 'FAILED', message: (error as Error).message });

/** A report that finishes when the test says so, after telling its progress. */
function controllable() {
  let finish: (outcome: MatchReport | Error) => void = () => {};
  const compute: RunReport = (_audience, _destination, progress) =>
    new Promise((resolve, reject) => {
      progress({ step: 'members', done: 3, total: 10 });
      finish = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome));
    });
  return { compute, finish: (outcome: MatchReport | Error) => finish(outcome) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('report runs', () => {
  it('shows progress while running, then the report', async () => {
    const runs = new ReportRuns();
    const job = controllable();
    const run = runs.start('spring', 'meta', job.compute, describeError);
    expect(runs.get(run.id)).toMatchObject({ status: 'running', progress: { step: 'members', done: 3, total: 10 } });
    job.finish(report);
    await settle();
    expect(runs.get(run.id)).toMatchObject({ status: 'done', report });
  });

  it('keeps the failure as a code and message', async () => {
    const runs = new ReportRuns();
    const job = controllable();
    const run = runs.start('spring', 'meta', job.compute, describeError);
    job.finish(new Error('store gone'));
    await settle();
    expect(runs.get(run.id)).toMatchObject({ status: 'failed', error: { code: 'FAILED', message: 'store gone' } });
  });

  it('drops finished runs after a while and the oldest finished past the bound, never a running one', async () => {
    let now = 0;
    const runs = new ReportRuns({ keepMs: 1000, maxRuns: 2, now: () => now });
    const first = controllable();
    const running = runs.start('a', 'meta', first.compute, describeError);
    const second = controllable();
    const old = runs.start('b', 'meta', second.compute, describeError);
    second.finish(report);
    await settle();
    const third = controllable();
    const newest = runs.start('c', 'meta', third.compute, describeError);
    // Three runs, bound two: the finished one goes, the running ones stay.
    expect(runs.get(old.id)).toBeUndefined();
    expect(runs.get(running.id)?.status).toBe('running');
    third.finish(report);
    await settle();
    now = 500;
    expect(runs.get(newest.id)?.status).toBe('done');
    now = 1600;
    expect(runs.get(newest.id)).toBeUndefined();
    expect(runs.get(running.id)?.status).toBe('running');
  });
});
