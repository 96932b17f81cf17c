/**
 * The importer's CSV dialect as CsvFile writes it, byte for byte: the rows are made in the buffer
 * field by field, so a number's digits, a doubled quote or a row across a flush could go wrong
 * where a string-built row could not.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvFile, type Field } from '../../../src/store/neo4j/import-files/csv-file.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'idgraph-csv-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

let files = 0;
async function written(rows: readonly (readonly Field[])[]): Promise<{ text: string; file: CsvFile }> {
  const name = `${files++}.csv`;
  const file = CsvFile.create(join(folder, name), name, ['a:ID', 'b']);
  for (const row of rows) file.row(row);
  file.close();
  return { text: await readFile(join(folder, name), 'utf8'), file };
}

/** The dialect written the plain way, one string a row: what the buffer must come to. */
function expected(row: readonly Field[]): string {
  const field = (value: Field): string => {
    if (value === null) return '';
    if (typeof value === 'string') return `"${value.replaceAll('"', '""')}"`;
    if (typeof value === 'object') return String(value.toNumber());
    return String(value);
  };
  return `${row.map(field).join(',')}\n`;
}

describe('CsvFile', () => {
  it('writes the header, then numbers bare, texts quoted with inner quotes doubled, and null as nothing', async () => {
    const { text, file } = await written([
      [0, 7, 10, 99, 100, 1234567890, Number.MAX_SAFE_INTEGER],
      [-5, 2.5, -0.125, 1e21, true, false, null, neo4j.int(1_700_000_000_000)],
      ['', 'plain', 'say "hi"', '"', '""x""', 'a,b', 'Zoë Ðurić 東京 🙂 "q"'],
    ]);
    expect(text).toBe(
      'a:ID,b\n' +
        '0,7,10,99,100,1234567890,9007199254740991\n' +
        '-5,2.5,-0.125,1e+21,true,false,,1700000000000\n' +
        '"","plain","say ""hi""","""","""""x""""","a,b","Zoë Ðurić 東京 🙂 ""q"""\n',
    );
    expect(file.rows).toBe(3);
    expect(file.multiline).toBe(false);
  });

  it('says when a text holds a line break, so the importer is told to read the file for it', async () => {
    expect((await written([['one\ntwo']])).file.multiline).toBe(true);
    expect((await written([['one\rtwo']])).file.multiline).toBe(true);
    expect((await written([['one two']])).file.multiline).toBe(false);
  });

  it('keeps every byte across many flushes of its buffer, quotes and wide characters included', async () => {
    const json = JSON.stringify({ name: 'Zoë "Z" Ðurić', city: '東京', n: 1 });
    const rows: Field[][] = [];
    for (let n = 0; n < 60_000; n++) rows.push([n, `crm:${n}`, json.repeat(1 + (n % 3)), n % 2 === 0, n * 37]);
    const { text } = await written(rows);
    expect(text).toBe(`a:ID,b\n${rows.map(expected).join('')}`);
  });

  it('keeps every digit of rows of numbers across many flushes', async () => {
    const rows: Field[][] = [];
    for (let n = 0; n < 300_000; n++) rows.push([n, n * 37, 1_700_000_000_123 + n, n % 10]);
    const { text } = await written(rows);
    expect(text).toBe(`a:ID,b\n${rows.map(expected).join('')}`);
  });

  it('writes a text larger than its buffer whole', async () => {
    const huge = `${'"quoted" é '.repeat(200_000)}end`;
    const { text } = await written([[1, huge, 2]]);
    expect(text).toBe(`a:ID,b\n${expected([1, huge, 2])}`);
  });
});
