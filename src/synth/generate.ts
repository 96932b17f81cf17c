/**
 * The synthetic data generator: a pure, seeded stream of records with their true person, generated
 * one household at a time so any volume fits in bounded memory. Every classic stream starts with
 * the same known household (known-people.ts), which examples name.
 */
import { knownHouseholdRecords } from './known-people.js';
import { generateHousehold } from './people.js';
import { Random } from './random.js';
import { DEFAULT_NOISE, type NoiseRates, RecordWriter, type SyntheticRecord } from './records.js';
import { SixSourceWriter } from './six-sources.js';

/**
 * `classic`: four sources (crm, web, app, orders) with first/last name columns, the data the demo,
 * the default rules and the load benchmarks use. `six-sources`: adds till receipts (pos) and help-desk
 * tickets (support), keeps names in one field outside the CRM, nameless app installs and receipts,
 * nicknames, work emails beside personal ones, and a nested shipping address on orders.
 */
export const SYNTH_SHAPES = ['classic', 'six-sources'] as const;
export type SynthShape = (typeof SYNTH_SHAPES)[number];

export interface SynthOptions {
  readonly seed: number;
  /** Stop after this many records (the last household may be cut short)... */
  readonly records?: number;
  /** ...or after this many households' people. */
  readonly people?: number;
  readonly noise?: NoiseRates;
  /** Default `classic`. */
  readonly shape?: SynthShape;
}

export interface SynthProgress {
  households: number;
  people: number;
  records: number;
}

export function* generateRecords(options: SynthOptions, progress?: SynthProgress): Generator<SyntheticRecord> {
  const random = new Random(options.seed);
  const noise = options.noise ?? DEFAULT_NOISE;
  const writer = options.shape === 'six-sources' ? new SixSourceWriter(random, noise) : new RecordWriter(random, noise);
  const counts = progress ?? { households: 0, people: 0, records: 0 };
  const recordLimit = options.records ?? Number.POSITIVE_INFINITY;
  const peopleLimit = options.people ?? (options.records === undefined ? 1000 : Number.POSITIVE_INFINITY);
  // The known household first, in the classic shape the demo uses: examples in the README name its
  // people. The six-sources shape keeps its own rules (nameless app installs) without exception.
  if (options.shape !== 'six-sources') {
    counts.households++;
    counts.people += 2;
    for (const record of knownHouseholdRecords((prefix) => writer.next(prefix))) {
      if (counts.records >= recordLimit) return;
      counts.records++;
      yield record;
    }
  }
  for (let index = 1; counts.records < recordLimit && counts.people < peopleLimit; index++) {
    const household = generateHousehold(random, index);
    counts.households++;
    counts.people += household.people.length;
    for (const record of writer.recordsFor(household)) {
      if (counts.records >= recordLimit) return;
      counts.records++;
      yield record;
    }
  }
}
