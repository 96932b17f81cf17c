/**
 * Running counts for a report, added to one person at a time so a million-member audience is
 * reported in one pass without holding every person's evaluation.
 */
import type { DestinationField, DestinationReason } from '../destinations/types.js';
import { isFreemail } from './email-kind.js';
import type { FieldView, JunkReason, PersonView } from './evaluate-person.js';
import { ExactSum } from './exact-sum.js';
import { redact } from './redact.js';
import { type CensusState, ValueCensus } from './value-census.js';

const MAX_SAMPLES = 3;

interface InvalidEntry {
  readonly field: DestinationField;
  readonly reason: DestinationReason;
  count: number;
  /** The first redacted forms in sorted order: the same samples whatever order people come in. */
  readonly samples: string[];
}

interface JunkEntry {
  readonly field: DestinationField;
  readonly rule: JunkReason;
  count: number;
}

/** A tally as plain data, to pass between threads and combine (`absorb`). */
export interface TallyState {
  readonly fields: readonly (readonly [DestinationField, FieldTallyState])[];
  readonly invalid: readonly (readonly [string, InvalidEntry])[];
  readonly junk: readonly (readonly [string, JunkEntry])[];
  readonly collapsed: number;
  readonly emails: number;
  readonly freemails: number;
}

/** A field's counts of people and values, summed when tallies combine. */
interface FieldCounts {
  profilesBefore: number;
  profilesAfter: number;
  valuesRaw: number;
  valuesValid: number;
  valuesInvalid: number;
  valuesJunk: number;
}

interface FieldTallyState extends Readonly<FieldCounts> {
  readonly perPerson: readonly number[];
  readonly holders: CensusState;
  readonly estMatchedMicros: number;
}

export interface FieldTally extends FieldCounts {
  /** Valid values per person (index = count), for the mean and p95. */
  readonly perPerson: number[];
  /** Distinct normalized values, and those several people hold. */
  readonly holders: ValueCensus;
  readonly estMatched: ExactSum;
}

export class ReportTally {
  readonly fields = new Map<DestinationField, FieldTally>();
  readonly invalid = new Map<string, InvalidEntry>();
  readonly junk = new Map<string, JunkEntry>();
  collapsed = 0;
  emails = 0;
  freemails = 0;

  field(field: DestinationField): FieldTally {
    let tally = this.fields.get(field);
    if (!tally) {
      tally = {
        profilesBefore: 0,
        profilesAfter: 0,
        valuesRaw: 0,
        valuesValid: 0,
        valuesInvalid: 0,
        valuesJunk: 0,
        perPerson: [],
        holders: new ValueCensus(),
        estMatched: new ExactSum(),
      };
      this.fields.set(field, tally);
    }
    return tally;
  }

  /** Counts a person's values with resolution (the view that is sent). */
  addAfter(view: PersonView, soloPrior: (field: DestinationField) => number | null): void {
    for (const [field, values] of view.fields) {
      const tally = this.field(field);
      this.addValues(field, tally, values);
      if (values.valid.size > 0) {
        tally.profilesAfter++;
        tally.perPerson[values.valid.size] = (tally.perPerson[values.valid.size] ?? 0) + 1;
        const prior = soloPrior(field);
        if (prior !== null) tally.estMatched.add(field === 'email' && view.workEmailOnly ? 0 : prior);
      }
    }
  }

  addBefore(view: PersonView): void {
    for (const [field, values] of view.fields) if (values.valid.size > 0) this.field(field).profilesBefore++;
  }

  private addValues(field: DestinationField, tally: FieldTally, values: FieldView): void {
    tally.valuesRaw += values.raw;
    tally.valuesValid += values.valid.size;
    tally.valuesInvalid += values.invalid.length;
    tally.valuesJunk += values.junk.length;
    this.collapsed += values.collapsed;
    for (const normalized of values.valid.keys()) {
      tally.holders.add(normalized);
      if (field === 'email') {
        this.emails++;
        if (isFreemail(normalized)) this.freemails++;
      }
    }
    for (const { reason, value } of values.invalid) {
      const key = `${field}\u0001${reason}`;
      let entry = this.invalid.get(key);
      if (!entry) {
        entry = { field, reason, count: 0, samples: [] };
        this.invalid.set(key, entry);
      }
      entry.count++;
      keepSample(entry.samples, redact(value.raw));
    }
    for (const rule of values.junk) this.countJunk(`${field}\u0001${rule}`, field, rule, 1);
  }

  private countJunk(key: string, field: DestinationField, rule: JunkReason, count: number): void {
    const entry = this.junk.get(key) ?? { field, rule, count: 0 };
    entry.count += count;
    this.junk.set(key, entry);
  }

  state(): TallyState {
    return {
      fields: [...this.fields].map(([field, { holders, estMatched, ...counts }]) => [
        field,
        { ...counts, holders: holders.state(), estMatchedMicros: estMatched.micros },
      ]),
      invalid: [...this.invalid],
      junk: [...this.junk],
      collapsed: this.collapsed,
      emails: this.emails,
      freemails: this.freemails,
    };
  }

  /** Adds another tally's counts, as if its people had been counted here. */
  absorb(other: TallyState): void {
    for (const [field, theirs] of other.fields) {
      const tally = this.field(field);
      tally.profilesBefore += theirs.profilesBefore;
      tally.profilesAfter += theirs.profilesAfter;
      tally.valuesRaw += theirs.valuesRaw;
      tally.valuesValid += theirs.valuesValid;
      tally.valuesInvalid += theirs.valuesInvalid;
      tally.valuesJunk += theirs.valuesJunk;
      theirs.perPerson.forEach((count, size) => {
        tally.perPerson[size] = (tally.perPerson[size] ?? 0) + (count ?? 0);
      });
      tally.holders.absorb(theirs.holders);
      tally.estMatched.addMicros(theirs.estMatchedMicros);
    }
    for (const [key, theirs] of other.invalid) {
      const entry = this.invalid.get(key);
      if (!entry) this.invalid.set(key, { ...theirs, samples: [...theirs.samples] });
      else {
        entry.count += theirs.count;
        for (const sample of theirs.samples) keepSample(entry.samples, sample);
      }
    }
    for (const [key, theirs] of other.junk) this.countJunk(key, theirs.field, theirs.rule, theirs.count);
    this.collapsed += other.collapsed;
    this.emails += other.emails;
    this.freemails += other.freemails;
  }
}

/** Keeps the MAX_SAMPLES smallest distinct samples, sorted. */
function keepSample(samples: string[], sample: string): void {
  if (samples.includes(sample)) return;
  if (samples.length === MAX_SAMPLES) {
    if (sample >= (samples[MAX_SAMPLES - 1] as string)) return;
    samples.pop();
  }
  samples.push(sample);
  samples.sort();
}

export function mean(perPerson: readonly number[]): number {
  let people = 0;
  let values = 0;
  perPerson.forEach((count, size) => {
    people += count ?? 0;
    values += (count ?? 0) * size;
  });
  return people === 0 ? 0 : values / people;
}

export function percentile(perPerson: readonly number[], share: number): number {
  const total = perPerson.reduce((sum, count) => sum + (count ?? 0), 0);
  let seen = 0;
  for (let size = 0; size < perPerson.length; size++) {
    seen += perPerson[size] ?? 0;
    if (total > 0 && seen >= share * total) return size;
  }
  return 0;
}
