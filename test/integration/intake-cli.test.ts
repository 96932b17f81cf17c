/**
 * Intake from the command line as the new user met it: a bad row among good ones costs only
 * itself on every command, the exit status tells pipelines when rows were rejected, misspelled
 * columns are named, stdin and gzip are read, and each run lists its rejects in a file of its own.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/capture-io.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const RULES = new URL('../../rules/default.yaml', import.meta.url).pathname;
const RUN_CLI = new URL('../support/run-cli.ts', import.meta.url).pathname;

const HEADER = 'order_id,ordered_at,email,phone,first_name,last_name,postcode,country';
/** Five orders, the third with one column too many. */
const ORDERS_CSV = [
  HEADER,
  'o1,2025-01-01,kim.park@shop.io,,Kim,Park,SW1A 1AA,GB',
  'o2,2025-01-02,lee.chan@shop.io,,Lee,Chan,SW1A 2AA,GB',
  'o3,2025-01-03,bad.row@shop.io,,Bad,Row,SW1A 3AA,GB,EXTRA',
  'o4,2025-01-04,ann.ode@shop.io,,Ann,Ode,SW1A 4AA,GB',
  'o5,2025-01-05,tom.ito@shop.io,,Tom,Ito,SW1A 5AA,GB',
].join('\n');

async function recordIds(store: string): Promise<string[]> {
  const run = await cli('export', 'records', '--store', store);
  expect(run.code, run.err).toBe(0);
  return run.out
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => row.split(',')[1] as string)
    .sort();
}

/** The reject lines of the one rejects file a run left in <store>/rejects/. */
async function onlyRejects(store: string): Promise<{ path: string; lines: Record<string, unknown>[] }> {
  const files = await readdir(join(store, 'rejects'));
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^rejects-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-[\w+-]+\.ndjson$/);
  const path = join(store, 'rejects', files[0] as string);
  const lines = (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { path, lines };
}

const BAD_ROW = {
  file: 'orders.csv',
  line: 4,
  source: 'orders',
  code: 'CSV_COLUMN_COUNT',
  message: 'the row does not have the header’s number of columns: expected 8, found 9',
};

describe('a CSV with one bad row among good ones', () => {
  it('ingest: every good row ends in the store, the bad one alone in the rejects file, exit 3', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await writeFile(join(dir, 'orders.csv'), ORDERS_CSV);
    const run = await cli('ingest', '--rules', RULES, '--store', store, '--source', 'orders', join(dir, 'orders.csv'));
    expect(run.code).toBe(3);
    expect(await recordIds(store)).toEqual(['o1', 'o2', 'o4', 'o5']);
    const { path, lines } = await onlyRejects(store);
    expect(lines).toEqual([BAD_ROW]);
    expect(run.out).toContain(`rejected           1 -> ${path}`);
    expect(run.out).toMatch(/^ {2}CSV_COLUMN_COUNT +1$/m);
    expect(run.err).toContain(`idgraph: 1 of 5 rows rejected (none allowed), listed in ${path}`);
    // The row's content is not in the rejects file.
    expect(await readFile(path, 'utf8')).not.toContain('bad.row@shop.io');
  });

  for (const workers of ['0', '1']) {
    it(`load with ${workers} worker(s): the same, on the bulk path`, async () => {
      const dir = await tempDir();
      const store = join(dir, 'store');
      await writeFile(join(dir, 'orders.csv'), ORDERS_CSV);
      const run = await cli(
        'load',
        '--rules',
        RULES,
        '--store',
        store,
        '--workers',
        workers,
        `orders=${join(dir, 'orders.csv')}`,
      );
      expect(run.code).toBe(3);
      expect(run.out).toContain('bulk (empty store)');
      expect(await recordIds(store)).toEqual(['o1', 'o2', 'o4', 'o5']);
      expect((await onlyRejects(store)).lines).toEqual([BAD_ROW]);
    });
  }

  it('audience create: the audience is made of the good rows, the bad one in the same kind of rejects file', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await writeFile(join(dir, 'orders.csv'), ORDERS_CSV.split('\n').slice(0, 3).join('\n'));
    await cli('ingest', '--rules', RULES, '--store', store, '--source', 'orders', join(dir, 'orders.csv'));
    await writeFile(
      join(dir, 'members.csv'),
      ['source,record_id', 'orders,o1', 'orders,o2,extra', 'orders,"o3', 'orders,o2'].join('\n'),
    );
    const run = await cli('audience', 'create', 'vip', '--store', store, '--from', join(dir, 'members.csv'));
    expect(run.code).toBe(3);
    expect(run.out).toContain('audience vip: 2 members (2 rejected ->');
    expect(run.out).toContain('2 people after resolution');
    const { lines } = await onlyRejects(store);
    expect(lines).toEqual([
      { file: 'members.csv', line: 3, source: 'audience:vip', code: 'CSV_COLUMN_COUNT', message: expect.any(String) },
      {
        file: 'members.csv',
        line: 4,
        source: 'audience:vip',
        code: 'CSV_UNCLOSED_QUOTE',
        message: expect.any(String),
      },
    ]);
    const allowed = await cli(
      'audience',
      'create',
      'vip2',
      '--store',
      store,
      '--from',
      join(dir, 'members.csv'),
      '--max-rejects',
      '50%',
    );
    expect(allowed.code, allowed.err).toBe(0);
  });
});

describe('exit status and rejects files', () => {
  it('--max-rejects allows a count or a share of the rows; beyond it the exit status is 3', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'orders.csv'), ORDERS_CSV);
    const ingest = (...more: string[]) =>
      cli(
        'ingest',
        '--rules',
        RULES,
        '--store',
        join(dir, 'store'),
        '--source',
        'orders',
        ...more,
        join(dir, 'orders.csv'),
      );
    expect((await ingest('--max-rejects', '1')).code).toBe(0);
    expect((await ingest('--max-rejects', '20%')).code).toBe(0);
    const over = await ingest('--max-rejects', '19.9%');
    expect(over.code).toBe(3);
    expect(over.err).toContain('1 of 5 rows rejected (--max-rejects 19.9%)');
    const wrong = await ingest('--max-rejects', 'some');
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toContain('must be a count of rows (10) or a percentage of the rows read (1%)');
  });

  it('makes no rejects file when nothing is rejected, and a new one for each run that rejects rows', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await writeFile(join(dir, 'good.csv'), ORDERS_CSV.split('\n').slice(0, 3).join('\n'));
    await writeFile(join(dir, 'orders.csv'), ORDERS_CSV);
    const good = await cli('ingest', '--rules', RULES, '--store', store, '--source', 'orders', join(dir, 'good.csv'));
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/^rejected {11}0$/m);
    await expect(readdir(join(store, 'rejects'))).rejects.toThrow(/ENOENT/);
    for (let run = 0; run < 2; run++) {
      const bad = await cli('ingest', '--store', store, '--source', 'orders', '--json', join(dir, 'orders.csv'));
      expect(bad.code).toBe(3);
      expect(JSON.parse(bad.out).rejectsFile).toMatch(/rejects-.*-orders\.ndjson$/);
    }
    expect(await readdir(join(store, 'rejects'))).toHaveLength(2);
    // --rejects names the file, or a folder for the run's own file.
    const named = join(dir, 'mine.ndjson');
    await cli('ingest', '--store', store, '--source', 'orders', '--rejects', named, join(dir, 'orders.csv'));
    expect(JSON.parse(await readFile(named, 'utf8'))).toMatchObject({ line: 4, code: 'CSV_COLUMN_COUNT' });
  });
});

describe('column checks', () => {
  it('names a misspelled mapped column and the column it likely is; --strict refuses and commits nothing', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await writeFile(join(dir, 'orders.csv'), `${HEADER.replace(',email,', ',e-mail,')}\n${ORDERS_CSV.split('\n')[1]}`);
    const strict = await cli(
      'ingest',
      '--rules',
      RULES,
      '--store',
      store,
      '--source',
      'orders',
      '--strict',
      join(dir, 'orders.csv'),
    );
    expect(strict.code).toBe(2);
    expect(strict.err).toContain(
      'error: orders.csv: field "email" mapped by source orders is not in the header (did you mean "e-mail"?)',
    );
    expect(strict.err).toContain('column "e-mail" is not mapped by source orders');
    expect(strict.err).toContain('--strict: the columns do not match the rules');
    expect(await recordIds(store)).toEqual([]);

    const warned = await cli(
      'ingest',
      '--store',
      store,
      '--rules',
      RULES,
      '--source',
      'orders',
      join(dir, 'orders.csv'),
    );
    expect(warned.code).toBe(0);
    expect(warned.err).toContain('warning: orders.csv: field "email" mapped by source orders is not in the header');
    expect(await recordIds(store)).toEqual(['o1']);
  });

  it('checks the keys of the first NDJSON rows: emial for email, cookie for cookie_id', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'web.ndjson'), '{"session_id":"s1","emial":"a@b.io","cookie":"GA1.2.3"}\n');
    const run = await cli(
      'ingest',
      '--rules',
      RULES,
      '--store',
      join(dir, 'store'),
      '--source',
      'web',
      join(dir, 'web.ndjson'),
    );
    expect(run.code).toBe(0);
    expect(run.err).toContain(
      'field "email" mapped by source web is in none of the first 100 rows (did you mean "emial"?)',
    );
    expect(run.err).toContain(
      'field "cookie_id" mapped by source web is in none of the first 100 rows (did you mean "cookie"?)',
    );
    expect(run.err).toContain(
      'column "emial" is not mapped by source web, its values are ignored (did you mean "email"?)',
    );
  });
});

describe('inputs', () => {
  it('reads gzip-compressed NDJSON and CSV', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await writeFile(join(dir, 'orders.csv.gz'), gzipSync(ORDERS_CSV.split('\n').slice(0, 3).join('\n')));
    await writeFile(join(dir, 'web.ndjson.gz'), gzipSync('{"session_id":"s1","cookie_id":"GA1.2.3"}\n'));
    const run = await cli(
      'load',
      '--rules',
      RULES,
      '--store',
      store,
      '--workers',
      '0',
      `orders=${join(dir, 'orders.csv.gz')}`,
      `web=${join(dir, 'web.ndjson.gz')}`,
    );
    expect(run.code, run.err).toBe(0);
    expect(await recordIds(store)).toEqual(['o1', 'o2', 's1']);
  });

  it('names a file it cannot read on: a CSV header with an open quote, a gzip file cut short', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    await writeFile(join(dir, 'orders.csv'), `"order_id,ordered_at\no1,2025-01-01\n`);
    const header = await cli(
      'ingest',
      '--rules',
      RULES,
      '--store',
      store,
      '--source',
      'orders',
      join(dir, 'orders.csv'),
    );
    expect(header.code).toBe(2);
    expect(header.err).toBe('idgraph: orders.csv:1: the CSV header has an unclosed quote [INPUT_UNREADABLE]\n');
    // Longer than what is read ahead for the column check, so the cut is met while reading rows.
    const zipped = gzipSync(Buffer.from(`${ORDERS_CSV}\n`.repeat(2000)));
    await writeFile(join(dir, 'cut.csv.gz'), zipped.subarray(0, zipped.length - 40));
    const cut = await cli('ingest', '--rules', RULES, '--store', store, '--source', 'orders', join(dir, 'cut.csv.gz'));
    expect(cut.code).toBe(2);
    expect(cut.err).toMatch(
      /^idgraph: cannot read cut\.csv\.gz: not a valid gzip file \(Z_BUF_ERROR\) \[GZIP_INVALID\]$/m,
    );
  });

  it('reads standard input for -', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        RUN_CLI,
        'ingest',
        '--rules',
        RULES,
        '--store',
        store,
        '--source',
        'orders',
        '--format',
        'csv',
        '-',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stdin.end(ORDERS_CSV);
    const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? 1)));
    expect(code).toBe(3);
    expect(out).toMatch(/^rows read {10}5$/m);
    expect(await recordIds(store)).toEqual(['o1', 'o2', 'o4', 'o5']);
    expect((await onlyRejects(store)).lines).toEqual([{ ...BAD_ROW, file: 'stdin' }]);
  });
});

describe('summaries', () => {
  it('print counts with thousands separators and long reason codes apart from their counts', async () => {
    const dir = await tempDir();
    const rows = Array.from({ length: 1200 }, (_, index) => `o${index},not a time,,,,,,GB`);
    await writeFile(join(dir, 'orders.csv'), [HEADER, ...rows].join('\n'));
    const run = await cli(
      'ingest',
      '--rules',
      RULES,
      '--store',
      join(dir, 'store'),
      '--source',
      'orders',
      join(dir, 'orders.csv'),
    );
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^rows read {10}1,200$/m);
    expect(run.out).toMatch(/^ {2}TIMESTAMP_INVALID 1,200$/m);
  });
});
