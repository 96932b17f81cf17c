/**
 * Files of good rows with broken rows spliced in, for the row-isolation properties: what each
 * good row must read back as, and the line and reason code each broken one must be rejected with.
 */
import fc from 'fast-check';

export interface SplicedFile {
  readonly bytes: Buffer;
  /** The good rows, by their first line, as reading must give them. */
  readonly good: { readonly line: number; readonly row: Record<string, string> }[];
  /** The broken rows, by line, with the reason code each must be rejected with. */
  readonly broken: { readonly line: number; readonly reason: string }[];
}

type Entry = { readonly good: true; readonly name: string; readonly note: string } | { readonly broken: number };

/**
 * A value: letters, digits, spaces, commas, quotes, line breaks, multi-byte characters. It never
 * starts with a comma, a quote or a space, so that no good row can end the quote a broken row left
 * open: the one case where no reader can tell a bad quote from a good one (see read-csv.ts).
 */
const value = fc
  .array(fc.constantFrom('a', 'b', 'Z', '7', ' ', ',', '"', '\n', 'é', '😀'), { maxLength: 8 })
  .map((chars) => chars.join(''))
  .filter((text) => !/^[ ,"]/.test(text));

const entry: fc.Arbitrary<Entry> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ good: fc.constant(true as const), name: value, note: value }) },
  { weight: 1, arbitrary: fc.record({ broken: fc.nat({ max: 3 }) }) },
);

export const entries = fc.array(entry, { maxLength: 25 });

const CSV_BROKEN: readonly ((id: string) => { bytes: Buffer; reason: string })[] = [
  (id) => ({ bytes: Buffer.from(`${id},only two`), reason: 'CSV_COLUMN_COUNT' }),
  (id) => ({ bytes: Buffer.from(`${id},"a quote never closed,x`), reason: 'CSV_UNCLOSED_QUOTE' }),
  (id) => ({ bytes: Buffer.from(`${id},"closed"then text,x`), reason: 'CSV_SYNTAX' }),
  (id) => ({
    bytes: Buffer.concat([Buffer.from(`${id},`), Buffer.from([0xff, 0xfe]), Buffer.from(',x')]),
    reason: 'UTF8_INVALID',
  }),
];

const NDJSON_BROKEN: readonly ((id: string) => { bytes: Buffer; reason: string })[] = [
  (id) => ({ bytes: Buffer.from(`{"customer_id":"${id}","first_name":"cut short"`), reason: 'JSON_SYNTAX' }),
  () => ({ bytes: Buffer.from('[1, 2]'), reason: 'ROW_NOT_OBJECT' }),
  (id) => ({ bytes: Buffer.from(`{"customer_id":"${id}",,}`), reason: 'JSON_SYNTAX' }),
  (id) => ({
    bytes: Buffer.concat([
      Buffer.from(`{"customer_id":"${id}","first_name":"`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]),
    reason: 'UTF8_INVALID',
  }),
];

function csvField(text: string, quote: boolean): string {
  return quote || /[",\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV file of the `crm` source's key and two attributes; `quoteAll` quotes every value. */
export function csvFile(list: readonly Entry[], quoteAll = false): SplicedFile {
  const parts: Buffer[] = [Buffer.from('customer_id,first_name,last_name\n')];
  const good: SplicedFile['good'][number][] = [];
  const broken: SplicedFile['broken'][number][] = [];
  let line = 2;
  list.forEach((item, index) => {
    const id = `c${index}`;
    let bytes: Buffer;
    if ('good' in item) {
      bytes = Buffer.from([id, csvField(item.name, quoteAll), csvField(item.note, quoteAll)].join(','));
      const row: Record<string, string> = { customer_id: id };
      if (item.name !== '') row.first_name = item.name;
      if (item.note !== '') row.last_name = item.note;
      good.push({ line, row });
    } else {
      const made = (CSV_BROKEN[item.broken] as (id: string) => { bytes: Buffer; reason: string })(id);
      bytes = made.bytes;
      broken.push({ line, reason: made.reason });
    }
    parts.push(bytes, Buffer.from('\n'));
    line += bytes.toString('latin1').split('\n').length;
  });
  return { bytes: Buffer.concat(parts), good, broken };
}

export function ndjsonFile(list: readonly Entry[]): SplicedFile {
  const parts: Buffer[] = [];
  const good: SplicedFile['good'][number][] = [];
  const broken: SplicedFile['broken'][number][] = [];
  list.forEach((item, index) => {
    const id = `c${index}`;
    const line = index + 1;
    if ('good' in item) {
      const row = { customer_id: id, first_name: item.name, last_name: item.note };
      parts.push(Buffer.from(JSON.stringify(row)));
      good.push({ line, row });
    } else {
      const made = (NDJSON_BROKEN[item.broken] as (id: string) => { bytes: Buffer; reason: string })(id);
      parts.push(made.bytes);
      broken.push({ line, reason: made.reason });
    }
    parts.push(Buffer.from('\n'));
  });
  return { bytes: Buffer.concat(parts), good, broken };
}
