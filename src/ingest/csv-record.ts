/**
 * One CSV record (RFC 4180, comma-separated) split into its fields, or the reason it cannot be.
 * Written here rather than taken from csv-parse because reading must decide record by record where
 * a record ends (read-csv.ts): csv-parse, met with a quote that is never closed, reads to the end of
 * the file and loses every row after it. Whitespace around a field is dropped (not inside quotes);
 * a quote may open a field only, a doubled quote stands for one inside a quoted field.
 */

export type CsvRecordProblem = 'UNCLOSED_QUOTE' | 'QUOTE_IN_UNQUOTED_FIELD' | 'TEXT_AFTER_CLOSING_QUOTE';

export type CsvRecordParse =
  | { readonly ok: true; readonly fields: string[] }
  | { readonly ok: false; readonly problem: CsvRecordProblem; readonly field: number };

const QUOTE = 0x22;

export function parseCsvRecord(text: string): CsvRecordParse {
  if (text.indexOf('"') === -1) return { ok: true, fields: text.split(',').map((field) => field.trim()) };
  const fields: string[] = [];
  const n = text.length;
  let at = 0;
  for (;;) {
    let start = at;
    while (start < n && isBlank(text.charCodeAt(start))) start++;
    if (start < n && text.charCodeAt(start) === QUOTE) {
      let value = '';
      let from = start + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) return { ok: false, problem: 'UNCLOSED_QUOTE', field: fields.length + 1 };
        if (text.charCodeAt(quote + 1) === QUOTE) {
          value += text.slice(from, quote + 1);
          from = quote + 2;
          continue;
        }
        value += text.slice(from, quote);
        at = quote + 1;
        break;
      }
      fields.push(value);
      while (at < n && isBlank(text.charCodeAt(at))) at++;
      if (at === n) return { ok: true, fields };
      if (text[at] !== ',') return { ok: false, problem: 'TEXT_AFTER_CLOSING_QUOTE', field: fields.length };
      at++;
      continue;
    }
    const comma = text.indexOf(',', start);
    const end = comma === -1 ? n : comma;
    const value = text.slice(start, end).trim();
    if (value.includes('"')) return { ok: false, problem: 'QUOTE_IN_UNQUOTED_FIELD', field: fields.length + 1 };
    fields.push(value);
    if (comma === -1) return { ok: true, fields };
    at = comma + 1;
  }
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}
