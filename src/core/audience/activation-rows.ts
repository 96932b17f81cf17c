/**
 * The upload rows of one person for one destination. Platforms take one identifier per column; a
 * person with two emails gets two rows (up to the platform's per-person limit), the other columns
 * repeated where the person has only one value, so every row stands on its own.
 */
import type { DestinationProfile, FieldSpec } from '../destinations/destination-profile.js';
import type { DestinationField } from '../destinations/types.js';
import type { PersonView } from './evaluate-person.js';

export function activationHeader(destination: DestinationProfile): string[] {
  return Object.values(destination.fields).map((spec) => spec.header);
}

interface Column {
  readonly field: DestinationField;
  readonly maxPerPerson: number;
  /** Hashed values are hex or Base64: never a comma, quote or line break to quote. */
  readonly hashed: boolean;
}

const columnsOf = new WeakMap<DestinationProfile, readonly Column[]>();

function columns(destination: DestinationProfile): readonly Column[] {
  let found = columnsOf.get(destination);
  if (!found) {
    found = (Object.entries(destination.fields) as [DestinationField, FieldSpec][]).map(([field, spec]) => ({
      field,
      maxPerPerson: spec.maxPerPerson,
      hashed: spec.hash !== 'none',
    }));
    columnsOf.set(destination, found);
  }
  return found;
}

/** A person's upload rows as CSV lines (each with its newline), and how many there are. */
export function activationLines(view: PersonView, destination: DestinationProfile): { text: string; rows: number } {
  const columnList = columns(destination);
  const values: string[][] = [];
  let rows = 1;
  for (const { field, maxPerPerson } of columnList) {
    const valid = view.fields.get(field)?.valid;
    const list = valid ? [...valid.values()].slice(0, maxPerPerson) : [];
    values.push(list);
    if (list.length > rows) rows = list.length;
  }
  let text = '';
  for (let row = 0; row < rows; row++) {
    columnList.forEach((column, index) => {
      const list = values[index] as string[];
      const cell = list.length === 0 ? '' : (list[Math.min(row, list.length - 1)] as string);
      text += `${index > 0 ? ',' : ''}${column.hashed ? cell : csvCell(cell)}`;
    });
    text += '\n';
  }
  return { text, rows };
}

/** One CSV line (with its newline); a cell holding a comma, quote or line break is quoted. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
