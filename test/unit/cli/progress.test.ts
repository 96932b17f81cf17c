import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/cli/progress.js';

describe('ingest progress', () => {
  it('prints plain lines at most every few seconds off a terminal, and a last line once', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = createProgress(
      (text) => lines.push(text),
      false,
      () => now,
    );
    progress.update({ file: 'crm.ndjson', rows: 1000 });
    now = 1000;
    progress.update({ file: 'crm.ndjson', rows: 2000 });
    now = 6000;
    progress.update({ file: 'crm.ndjson', rows: 9000 });
    progress.finish();
    expect(lines).toEqual([
      'ingest crm.ndjson: 1,000 rows, 1,000,000 rows/s\n',
      'ingest crm.ndjson: 9,000 rows, 1,500 rows/s\n',
    ]);
  });

  it('redraws one line in place on a terminal', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = createProgress(
      (text) => lines.push(text),
      true,
      () => now,
    );
    progress.update({ file: 'a.csv', rows: 500 });
    now = 1000;
    progress.update({ file: 'a.csv', rows: 1000 });
    progress.finish();
    expect(lines.every((line) => line.startsWith('\r\x1b[2K'))).toBe(true);
    expect(lines.at(-1)).toBe('\r\x1b[2Kingest a.csv: 1,000 rows, 1,000 rows/s\n');
  });
});
