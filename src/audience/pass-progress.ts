/**
 * How far a pass over an audience has come, for a progress bar: first its member rows are resolved to
 * profiles (`members`, out of the audience's rows), then its people are read and evaluated (`people`,
 * counted in the member rows they cover, out of the rows that found a profile or stand alone). Rows
 * rather than people, because how many people the rows make is only known at the end.
 */
import type { AudienceMember } from '../core/audience/members.js';
import type { PeopleBatch } from './people-batch.js';

export interface PassProgress {
  readonly step: 'members' | 'people';
  readonly done: number;
  readonly total: number;
}

export type ProgressListener = (progress: PassProgress) => void;

/** The member batches as they are read, telling the listener the rows read so far. */
export async function* countingMembers(
  batches: AsyncIterable<AudienceMember[]>,
  total: number,
  listener: ProgressListener,
): AsyncGenerator<AudienceMember[]> {
  let done = 0;
  listener({ step: 'members', done, total });
  for await (const batch of batches) {
    yield batch;
    done += batch.length;
    listener({ step: 'members', done: Math.min(done, total), total });
  }
}

/** The people batches as they are taken, telling the listener the member rows they cover; ends at total. */
export async function* countingPeople(
  batches: AsyncIterable<PeopleBatch>,
  total: number,
  listener: ProgressListener,
): AsyncGenerator<PeopleBatch> {
  let done = 0;
  listener({ step: 'people', done, total });
  for await (const batch of batches) {
    let rows = batch.unresolved.length;
    for (const count of batch.rows) rows += count;
    yield batch;
    done += rows;
    listener({ step: 'people', done: Math.min(done, total), total });
  }
  // Rows of suppressed people are never evaluated: the pass is done all the same.
  listener({ step: 'people', done: total, total });
}
