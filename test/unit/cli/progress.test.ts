import { describe, expect, it } from 'vitest';
import { bar, createProgress, createStepProgress, formatDuration } from '../../../src/cli/progress.js';

describe('progress', () => {
  it('prints nothing off a terminal (pipes and CI logs get the summary only)', () => {
    const lines: string[] = [];
    const progress = createProgress((text) => lines.push(text), false);
    progress.update({ file: 'crm.ndjson', rows: 1000, bytes: 10, totalBytes: 100 });
    progress.finish();
    const steps = createStepProgress((text) => lines.push(text), false, 'resolve and write', 'records');
    steps.update(5, 10);
    steps.finish();
    expect(lines).toEqual([]);
  });

  it('redraws a bar with percentage, rate and time left when the size is known', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = createProgress(
      (text) => lines.push(text),
      true,
      () => now,
      'read',
    );
    progress.update({ file: 'crm.ndjson', rows: 500, bytes: 100, totalBytes: 1000 });
    now = 100;
    // Within the redraw interval: not drawn.
    progress.update({ file: 'crm.ndjson', rows: 600, bytes: 120, totalBytes: 1000 });
    now = 2000;
    progress.update({ file: 'crm.ndjson', rows: 12_000, bytes: 250, totalBytes: 1000 });
    progress.finish();
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => line.startsWith('\r\x1b[2K'))).toBe(true);
    // A quarter read in 2 s: 6 s left.
    expect(lines.at(-1)).toBe(
      '\r\x1b[2Kread [######..................]  25% crm.ndjson: 12,000 rows, 6,000 rows/s, ETA 0:06\n',
    );
  });

  it('tells rows and rate without a bar when the size is not known (stdin)', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = createProgress(
      (text) => lines.push(text),
      true,
      () => now,
    );
    now = 1000;
    progress.update({ file: 'stdin', rows: 1000 });
    progress.finish();
    expect(lines.at(-1)).toBe('\r\x1b[2Kingest stdin: 1,000 rows, 1,000 rows/s\n');
  });

  it('counts the steps after reading to their total, the last one always drawn', () => {
    const lines: string[] = [];
    let now = 0;
    const steps = createStepProgress(
      (text) => lines.push(text),
      true,
      'resolve and write',
      'records',
      () => now,
    );
    now = 1000;
    steps.update(10_000, 40_000);
    now = 1050;
    steps.update(40_000, 40_000);
    steps.finish();
    expect(lines[0]).toBe(
      '\r\x1b[2Kresolve and write [######..................]  25% 10,000 of 40,000 records, 10,000 records/s, ETA 0:03',
    );
    // The total reached: drawn at once, final, and only once.
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('100% 40,000 of 40,000 records');
    expect(lines[1]?.endsWith('\n')).toBe(true);
  });

  it('formats bars and durations', () => {
    expect(bar(0)).toBe('[........................]   0%');
    expect(bar(1.5)).toBe('[########################] 100%');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3723)).toBe('1:02:03');
  });
});
