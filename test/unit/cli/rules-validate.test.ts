import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/capture-io.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();
const defaultRules = new URL('../../../rules/default.yaml', import.meta.url).pathname;

describe('idgraph rules validate', () => {
  it('accepts the default rules with a summary and exit 0', async () => {
    const run = await cli('rules', 'validate', defaultRules);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/default\.yaml: valid, 5 identifier types, 6 rules, version [0-9a-f]{12}/);
  });

  it('lists every problem as FILE:LINE:COL and exits 1', async () => {
    const file = join(await tempDir(), 'broken.yaml');
    const text = readFileSync(defaultRules, 'utf8')
      .replace('match: [device_id]', 'match: [devise_id]')
      .replace('match: [cookie]', 'match: [cookies]');
    await writeFile(file, text);
    const run = await cli('rules', 'validate', file);
    expect(run.code).toBe(1);
    const lines = run.err.trim().split('\n');
    expect(lines.filter((line) => line.includes('RULES_UNKNOWN_REFERENCE'))).toHaveLength(2);
    for (const line of lines.slice(0, 2))
      expect(line).toMatch(new RegExp(`^${file}:\\d+:\\d+ rules\\[\\d\\]\\.match\\[0\\]: `));
  });

  it('exits 2 when a file cannot be read', async () => {
    const run = await cli('rules', 'validate', '/nonexistent/rules.yaml');
    expect(run.code).toBe(2);
    expect(run.err).toContain('cannot read');
  });

  it('prints JSON with --json', async () => {
    const run = await cli('rules', 'validate', '--json', defaultRules);
    expect(JSON.parse(run.out)).toMatchObject({ valid: true, problems: [] });
  });
});
