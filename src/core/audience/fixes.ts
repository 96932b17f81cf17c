/**
 * Fixes a marketer can act on, each with the people it touches and the matches it would add under
 * the same priors as the estimate. Ranked by added matches per unit of effort (match-rate-report.md).
 */
import type { DestinationProfile } from '../destinations/destination-profile.js';
import { normalizeForDestination } from '../destinations/normalize-for-destination.js';
import { likelihood, type PersonView } from './evaluate-person.js';
import { ExactSum } from './exact-sum.js';
import type { PersonValue } from './person.js';
import type { Fix, FixCode } from './report-types.js';

const EFFORT_WEIGHT = { low: 1, medium: 2, high: 4 } as const;
const STALE_DAYS = 540;
const DAY_MS = 86_400_000;

interface Candidate {
  affected: number;
  readonly added: ExactSum;
}

/** Fixes found so far as plain data: code, people affected, added matches in millionths. */
export type FixState = readonly (readonly [FixCode, number, number])[];

export class FixFinder {
  private readonly found = new Map<FixCode, Candidate>();

  constructor(
    private readonly destination: DestinationProfile,
    private readonly nowMs: number,
  ) {}

  private note(code: FixCode, added: number): void {
    const entry = this.entry(code);
    entry.affected++;
    entry.added.add(added);
  }

  private entry(code: FixCode): Candidate {
    let entry = this.found.get(code);
    if (!entry) {
      entry = { affected: 0, added: new ExactSum() };
      this.found.set(code, entry);
    }
    return entry;
  }

  state(): FixState {
    return [...this.found].map(([code, { affected, added }]) => [code, affected, added.micros]);
  }

  /** Adds the fixes another finder found, as if its people had been looked at here. */
  absorb(other: FixState): void {
    for (const [code, affected, addedMicros] of other) {
      const entry = this.entry(code);
      entry.affected += affected;
      entry.added.addMicros(addedMicros);
    }
  }

  /** Looks at one sendable-or-not person after resolution. */
  consider(view: PersonView, values: readonly PersonValue[], newestTs: number): void {
    const current = view.match.mid;
    const phones = view.fields.get('phone');
    if (phones && phones.valid.size === 0 && !view.keys.includes('phone')) {
      const country = personCountry(values);
      const recoverable = phones.invalid.some(
        ({ reason, value }) =>
          (reason === 'PHONE_NO_COUNTRY_CODE' || reason === 'PHONE_AMBIGUOUS_TRUNK_ZERO') &&
          country !== undefined &&
          normalizeForDestination(this.destination, 'phone', value.raw, { country }).ok,
      );
      if (recoverable) this.note('ADD_COUNTRY_CODE', this.gain(view, 'phone') - current);
    }
    const emails = view.fields.get('email');
    if (emails && emails.valid.size === 0 && emails.invalid.some(({ reason }) => reason === 'EMAIL_SYNTAX')) {
      this.note('REPAIR_EMAIL_SYNTAX', this.gain(view, 'email') - current);
    }
    if (view.workEmailOnly) {
      this.note('ADD_PERSONAL_EMAIL', likelihood(this.destination, view.keys, false).mid - current);
    }
    if ([...view.fields.values()].some((field) => field.junk.length > 0)) this.note('DROP_JUNK', 0);
    if (newestTs > 0 && this.nowMs - newestTs > STALE_DAYS * DAY_MS) this.note('REFRESH_STALE', 0);
  }

  private gain(view: PersonView, key: string): number {
    const keys = this.destination.keys.some((candidate) => candidate.name === key) ? [...view.keys, key] : view.keys;
    return likelihood(this.destination, keys, view.workEmailOnly).mid;
  }

  ranked(expectedMid: number): Fix[] {
    const fixes: Omit<Fix, 'rank'>[] = [];
    const add = (code: FixCode, effort: Fix['effort'], title: string, evidence: string) => {
      const found = this.found.get(code);
      if (!found) return;
      fixes.push({
        code,
        title,
        effort,
        evidence,
        affectedProfiles: found.affected,
        estAddedMatches: round(found.added.value),
      });
    };
    const { destination } = this;
    add(
      'ADD_COUNTRY_CODE',
      'low',
      'Add the country code to phone numbers from the country known for the person',
      `${destination.name} needs the country code "even if all of your data is from the same country"; these phones have none, and another record of the same person gives the country`,
    );
    add(
      'REPAIR_EMAIL_SYNTAX',
      'medium',
      'Repair malformed email addresses at the source',
      'these people have an email value that is not an address (EMAIL_SYNTAX) and no valid one',
    );
    add(
      'ADD_PERSONAL_EMAIL',
      'high',
      'Collect a personal email for people known only by a work address',
      `work addresses match consumer accounts less often (prior scaled by ${destination.workEmailFactor} here)`,
    );
    add(
      'DROP_JUNK',
      'low',
      'Remove placeholder and blocked values at the source',
      'junk values are never sent; they only inflate row counts and hide missing data',
    );
    add(
      'REFRESH_STALE',
      'medium',
      'Refresh people whose newest record is older than 540 days',
      'Google drops memberships after 540 days; stale data matches less',
    );
    if (expectedMid < destination.minimumMatchedPeople) {
      fixes.push({
        code: 'WIDEN_AUDIENCE',
        title: `Widen the audience: ${destination.name} needs ${destination.minimumMatchedPeople} matched people`,
        effort: 'high',
        affectedProfiles: 0,
        estAddedMatches: round(destination.minimumMatchedPeople - expectedMid),
        evidence: destination.minimumNote,
      });
    }
    return fixes
      .sort(
        (a, b) =>
          b.estAddedMatches / EFFORT_WEIGHT[b.effort] - a.estAddedMatches / EFFORT_WEIGHT[a.effort] ||
          b.affectedProfiles - a.affectedProfiles,
      )
      .map((fix, index) => ({ rank: index + 1, ...fix }));
  }
}

function personCountry(values: readonly PersonValue[]): string | undefined {
  for (const value of values) if (value.country) return value.country;
  return undefined;
}

const round = (value: number): number => Math.round(value * 10) / 10;
