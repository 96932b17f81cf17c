/**
 * A destination's upload file: a CSV with the platform's column headers, values normalized and
 * hashed its way, one row per person (more when a person has several values of a field the
 * platform takes several of). The rows come from an audience pass batch by batch and leave in
 * chunks, so a file of any size is written or streamed in bounded memory; written to disk under a
 * temporary name, flushed and renamed. No network.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { activationHeader, csvLine } from '../core/audience/activation-rows.js';
import type { PassOutput } from '../core/audience/audience-pass.js';
import type { DestinationProfile } from '../core/destinations/destination-profile.js';

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
  destination: DestinationProfile,
  /** Upload rows batch by batch, in the order they go in the file. */
  batches: AsyncIterable<PassOutput>,
  counts: ActivationCounts = { people: 0, rows: 0 },
): AsyncGenerator<string> {
  let buffer = csvLine(activationHeader(destination));
  for await (const batch of batches) {
    buffer += batch.csv;
    counts.people += batch.people;
    counts.rows += batch.rows;
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
  destination: DestinationProfile,
  batches: AsyncIterable<PassOutput>,
): Promise<ActivationSummary> {
  const temporary = `${path}.partial`;
  const out = createWriteStream(temporary, { encoding: 'utf8', flush: true });
  const counts: ActivationCounts = { people: 0, rows: 0 };
  try {
    for await (const chunk of activationCsv(destination, batches, counts)) {
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
