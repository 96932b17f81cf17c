/**
 * A destination's upload file: a CSV with the platform's column headers, values normalized and
 * hashed its way, one row per person (more when a person has several values of a field the
 * platform takes several of). Produced in chunks, so a file of any size is written or streamed in
 * bounded memory; written to disk under a temporary name, flushed and renamed. No network.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { activationHeader, activationRows } from '../core/audience/activation-rows.js';
import { type EvaluationSettings, evaluatePerson, type PersonView } from '../core/audience/evaluate-person.js';
import type { AudiencePerson } from '../core/audience/person.js';

export interface ActivationSummary {
  readonly path: string;
  readonly people: number;
  readonly rows: number;
}

export interface ActivationCounts {
  people: number;
  rows: number;
}

const CHUNK_CHARS = 1 << 20;

/** The CSV text in chunks of a megabyte or so; `counts` is filled in as the chunks are taken. */
export async function* activationCsv(
  /** People in batches, as the store reads them. */
  people: AsyncIterable<readonly AudiencePerson[]> | Iterable<readonly AudiencePerson[]>,
  settings: EvaluationSettings,
  counts: ActivationCounts = { people: 0, rows: 0 },
  /** How the destination sees a person; a report built in the same pass passes its own evaluation. */
  evaluate: (person: AudiencePerson) => PersonView = (person) => evaluatePerson(person.after, settings),
): AsyncGenerator<string> {
  let buffer = `${activationHeader(settings.destination).join(',')}\n`;
  for await (const batch of people) {
    for (const person of batch) {
      const view = evaluate(person);
      if (view.keys.length === 0) continue;
      counts.people++;
      for (const row of activationRows(view, settings.destination)) {
        buffer += `${row.map(csvCell).join(',')}\n`;
        counts.rows++;
      }
    }
    // Cut between batches of people.
    if (buffer.length > CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  yield buffer;
}

export async function writeActivationFile(
  path: string,
  people: AsyncIterable<readonly AudiencePerson[]> | Iterable<readonly AudiencePerson[]>,
  settings: EvaluationSettings,
  evaluate?: (person: AudiencePerson) => PersonView,
): Promise<ActivationSummary> {
  const temporary = `${path}.partial`;
  const out = createWriteStream(temporary, { encoding: 'utf8', flush: true });
  const counts: ActivationCounts = { people: 0, rows: 0 };
  try {
    for await (const chunk of activationCsv(people, settings, counts, evaluate)) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  } catch (error) {
    // A store failure halfway leaves no half file behind under either name.
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
  await rename(temporary, path);
  return { path, ...counts };
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
