/**
 * The upload rows of one person for one destination. Platforms take one identifier per column; a
 * person with two emails gets two rows (up to the platform's per-person limit), the other columns
 * repeated where the person has only one value, so every row stands on its own.
 */
import type { DestinationProfile } from '../destinations/destination-profile.js';
import type { DestinationField } from '../destinations/types.js';
import type { PersonView } from './evaluate-person.js';

export function activationHeader(destination: DestinationProfile): string[] {
  return Object.values(destination.fields).map((spec) => spec.header);
}

export function activationRows(view: PersonView, destination: DestinationProfile): string[][] {
  const columns = (Object.entries(destination.fields) as [DestinationField, { maxPerPerson: number }][]).map(
    ([field, spec]) => [...(view.fields.get(field)?.valid.values() ?? [])].slice(0, spec.maxPerPerson),
  );
  const rowCount = Math.max(1, ...columns.map((values) => values.length));
  const rows: string[][] = [];
  for (let index = 0; index < rowCount; index++) {
    rows.push(columns.map((values) => values[Math.min(index, values.length - 1)] ?? ''));
  }
  return rows;
}

/** One CSV line (with its newline); a cell holding a comma, quote or line break is quoted. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
