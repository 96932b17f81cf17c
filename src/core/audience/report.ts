/**
 * Builds the match-rate report of one audience for one destination, in one pass over its people.
 * Pure: the people come resolved, the clock comes in as a value.
 */
import type { DestinationField } from '../destinations/types.js';
import { type EvaluationSettings, evaluatePerson, type PersonView, type ValueVerdict } from './evaluate-person.js';
import { ExactSum } from './exact-sum.js';
import { FixFinder, type FixState } from './fixes.js';
import type { AudiencePerson, PersonValue } from './person.js';
import { mean, percentile, ReportTally, type TallyState } from './report-tally.js';
import type { IdentifierCoverage, MatchReport } from './report-types.js';

export interface ReportInput {
  readonly audience: MatchReport['audience'] & {
    readonly rows: number;
    readonly rowsRejected: number;
    readonly rowsUnresolved: number;
    readonly rowsNotFound: number;
  };
  /** People left after suppression. */
  readonly people: Iterable<AudiencePerson>;
  readonly suppressed: number;
  readonly settings: EvaluationSettings;
  readonly graph: { readonly rulesVersion: string; readonly lastCommit: number };
  readonly nowMs: number;
}

const DAY_MS = 86_400_000;
const STALE_DAYS = 540;
export const EXPECTED_MATCH_METHOD = '1-Π(1-p_key) per person over the match keys they will send, summed over people';

/** The report of one audience for one destination, people given all at once. */
export function buildMatchReport(input: ReportInput): MatchReport {
  const builder = new MatchReportBuilder(input.settings, input.nowMs);
  for (const person of input.people) builder.add(person);
  return builder.finish(input);
}

/** The builder's person counts, summed when builders of parts of an audience combine. */
interface PeopleCounts {
  people: number;
  records: number;
  rows: number;
  anyAccepted: number;
  sendable: number;
  sendableBefore: number;
  rowsSent: number;
  identifiersSent: number;
  gainedAnyId: number;
  gainedSecondIdType: number;
  multiKey: number;
  stale: number;
}

/** What a builder has counted, as plain data: builders in several threads combine through it. */
export interface ReportState {
  readonly counts: PeopleCounts;
  readonly tally: TallyState;
  readonly fixes: FixState;
  /** Expected matches low, mid, high and before resolution, in millionths. */
  readonly expectedMicros: readonly [number, number, number, number];
  readonly peopleByAgeDays: readonly (readonly [number, number])[];
}

/**
 * The report built one person at a time, so people can stream past it from the store and several
 * destinations can share one pass. Holds counts, not people. Builders that each saw part of the
 * people combine into the report of all of them (`state`, `absorb`), whatever the split.
 */
export class MatchReportBuilder {
  private readonly tally = new ReportTally();
  private readonly fixes: FixFinder;
  private readonly soloPriors = new Map<DestinationField, number | null>();
  private readonly counts: PeopleCounts = {
    people: 0,
    records: 0,
    rows: 0,
    anyAccepted: 0,
    sendable: 0,
    sendableBefore: 0,
    rowsSent: 0,
    identifiersSent: 0,
    gainedAnyId: 0,
    gainedSecondIdType: 0,
    multiKey: 0,
    stale: 0,
  };
  private readonly expected = { low: new ExactSum(), mid: new ExactSum(), high: new ExactSum() };
  private readonly expectedBefore = new ExactSum();
  /** People by the age of their newest record in whole days: every person counted, in any order. */
  private readonly peopleByAgeDays = new Map<number, number>();

  constructor(
    readonly settings: EvaluationSettings,
    private readonly nowMs: number,
  ) {
    this.fixes = new FixFinder(settings.destination, nowMs);
    for (const name of Object.keys(settings.destination.fields)) {
      const field = name as DestinationField;
      const solo = settings.destination.keys.find((key) => key.fields.length === 1 && key.fields[0] === field);
      this.soloPriors.set(field, solo?.prior.mid ?? null);
    }
  }

  private readonly soloPrior = (field: DestinationField): number | null => this.soloPriors.get(field) ?? null;

  /** Counts one person; returns how the destination sees their profile (an upload file is made of it). */
  add(person: AudiencePerson): PersonView {
    const { destination } = this.settings;
    const { counts } = this;
    counts.people++;
    counts.records += person.records.length;
    counts.rows += person.rows;
    const verdicts = person.before === person.after ? undefined : new Map<PersonValue, ValueVerdict>();
    const after = evaluatePerson(person.after, this.settings, verdicts);
    const before = verdicts ? evaluatePerson(person.before, this.settings, verdicts) : after;
    this.tally.addAfter(after, this.soloPrior);
    this.tally.addBefore(before);
    this.fixes.consider(after, person.after, person.newestTs);
    for (const field of after.fields.values()) {
      if (field.valid.size > 0) {
        counts.anyAccepted++;
        break;
      }
    }
    if (before.keys.length > 0) {
      counts.sendableBefore++;
      this.expectedBefore.add(before.match.mid);
    }
    if (after.keys.length > 0) {
      counts.sendable++;
      this.expected.low.add(after.match.low);
      this.expected.mid.add(after.match.mid);
      this.expected.high.add(after.match.high);
      let personRows = 0;
      for (const [field, values] of after.fields) {
        const sent = Math.min(values.valid.size, destination.fields[field]?.maxPerPerson ?? 1);
        counts.identifiersSent += sent;
        personRows = Math.max(personRows, sent);
      }
      counts.rowsSent += personRows;
      if (before.keys.length === 0) counts.gainedAnyId++;
      if (before.keys.length === 1 && after.keys.length >= 2) counts.gainedSecondIdType++;
      if (after.keys.length >= 2) counts.multiKey++;
    }
    if (person.newestTs > 0) {
      const age = (this.nowMs - person.newestTs) / DAY_MS;
      const days = Math.round(age);
      this.peopleByAgeDays.set(days, (this.peopleByAgeDays.get(days) ?? 0) + 1);
      if (age > STALE_DAYS) counts.stale++;
    }
    return after;
  }

  state(): ReportState {
    return {
      counts: { ...this.counts },
      tally: this.tally.state(),
      fixes: this.fixes.state(),
      expectedMicros: [
        this.expected.low.micros,
        this.expected.mid.micros,
        this.expected.high.micros,
        this.expectedBefore.micros,
      ],
      peopleByAgeDays: [...this.peopleByAgeDays],
    };
  }

  /** Adds what another builder of the same destination counted, as if its people had come here. */
  absorb(other: ReportState): void {
    for (const name of Object.keys(this.counts) as (keyof PeopleCounts)[]) this.counts[name] += other.counts[name];
    this.tally.absorb(other.tally);
    this.fixes.absorb(other.fixes);
    const [low, mid, high, before] = other.expectedMicros;
    this.expected.low.addMicros(low);
    this.expected.mid.addMicros(mid);
    this.expected.high.addMicros(high);
    this.expectedBefore.addMicros(before);
    for (const [days, people] of other.peopleByAgeDays) {
      this.peopleByAgeDays.set(days, (this.peopleByAgeDays.get(days) ?? 0) + people);
    }
  }

  finish(input: Omit<ReportInput, 'people' | 'settings' | 'nowMs'>): MatchReport {
    const { destination } = this.settings;
    const { tally, fixes, soloPrior } = this;
    const { people, records, rows, anyAccepted, sendable, sendableBefore } = this.counts;
    const { rowsSent, identifiersSent, gainedAnyId, gainedSecondIdType, multiKey, stale } = this.counts;
    const expected = { low: this.expected.low.value, mid: this.expected.mid.value, high: this.expected.high.value };
    const expectedBefore = this.expectedBefore.value;
    let sharedIdentifiers = 0;
    const coverage: IdentifierCoverage[] = Object.keys(destination.fields).map((name) => {
      const field = name as DestinationField;
      const t = tally.field(field);
      sharedIdentifiers += t.holders.shared;
      return {
        type: field,
        accepted: true,
        hashed: destination.fields[field]?.hash !== 'none',
        profilesBefore: t.profilesBefore,
        profilesAfter: t.profilesAfter,
        valuesRaw: t.valuesRaw,
        valuesValid: t.valuesValid,
        valuesInvalid: t.valuesInvalid,
        valuesJunk: t.valuesJunk,
        valuesPerProfile: { mean: round(mean(t.perPerson), 2), p95: percentile(t.perPerson, 0.95) },
        uniqueNormalized: t.holders.distinct,
        priorMatchRate: soloPrior(field),
        estMatchedPeople: soloPrior(field) === null ? null : Math.round(t.estMatched.value),
      };
    });

    const totalInvalid = [...tally.invalid.values()].reduce((sum, entry) => sum + entry.count, 0);
    const mid = Math.round(expected.mid);
    const low = Math.round(expected.low);
    const min = destination.minimumMatchedPeople;
    const agePercentile = (share: number) => dayPercentile(this.peopleByAgeDays, share);

    return {
      audience: {
        id: input.audience.id,
        name: input.audience.name,
        createdAt: input.audience.createdAt,
        suppress: input.audience.suppress,
      },
      destination: {
        platform: destination.id,
        name: destination.name,
        normalizationProfile: `idgraph/${destination.id}`,
      },
      graph: { ...input.graph, resolvedAt: new Date(this.nowMs).toISOString() },
      funnel: {
        audienceRows: input.audience.rows,
        rowsRejected: input.audience.rowsRejected,
        rowsUnresolved: input.audience.rowsUnresolved,
        rowsNotFound: input.audience.rowsNotFound,
        sourceRecords: records,
        profilesAfterResolution: people + input.suppressed,
        profilesWithAnyAcceptedId: anyAccepted,
        profilesExcluded: { suppressed: input.suppressed, noValidId: people - sendable },
        profilesSendable: sendable,
        rowsSent,
        identifiersSent,
      },
      rates: {
        addressability: ratio(sendable, people),
        expectedPeopleMatchRate: {
          low: ratio(expected.low, sendable),
          mid: ratio(expected.mid, sendable),
          high: ratio(expected.high, sendable),
        },
        vsTargetingMin: {
          min,
          matchedEst: mid,
          status: mid < min ? 'below' : low < min ? 'at_risk' : 'above',
          note: destination.minimumNote,
        },
      },
      identifierCoverage: coverage,
      resolutionLift: {
        profilesBefore: rows,
        profilesAfter: people,
        recordsMerged: Math.max(0, records - people),
        gainedAnyId,
        gainedSecondIdType,
        multiKeyProfiles: multiKey,
        coverageDeltaByType: Object.fromEntries(coverage.map((c) => [c.type, c.profilesAfter - c.profilesBefore])),
        sendableBefore,
        estMatchedBefore: Math.round(expectedBefore),
        // One decimal: on a small audience the lift is a fraction of a person, and still worth seeing.
        estMatchedLift: round(expected.mid - expectedBefore, 1),
      },
      invalid: [...tally.invalid.values()]
        // Ties by name, so the order does not hang on which value the pass met first.
        .sort((a, b) => b.count - a.count || byName(a.field, b.field) || byName(a.reason, b.reason))
        .map((entry) => ({
          field: entry.field,
          reason: entry.reason,
          count: entry.count,
          share: ratio(entry.count, totalInvalid),
          redactedSamples: entry.samples,
        })),
      junk: [...tally.junk.values()].sort(
        (a, b) => b.count - a.count || byName(a.field, b.field) || byName(a.rule, b.rule),
      ),
      duplicates: {
        rowsPerProfile: round(ratio(rows, people), 3),
        sharedIdentifiers,
        collapsedByNormalization: tally.collapsed,
      },
      quality: {
        workEmailShare: ratio(tally.emails - tally.freemails, tally.emails),
        freemailShare: ratio(tally.freemails, tally.emails),
        idAgeDays: { p50: agePercentile(0.5), p90: agePercentile(0.9) },
        staleShare: ratio(stale, people),
      },
      expectedMatch: {
        low,
        mid,
        high: Math.round(expected.high),
        method: EXPECTED_MATCH_METHOD,
        assumptions: [
          'match keys of one person match independently (optimistic)',
          `priors per key are ${destination.name} defaults drawn from published ranges, not calibrated on your past uploads`,
          `a work-only email counts ${destination.workEmailFactor} of the email prior`,
        ],
      },
      fixes: fixes.ranked(expected.mid),
      caveats: [
        `${destination.name} counts settle after about ${destination.settleHours} h; earlier readings are low`,
        'platforms report approximate, bucketed or ranged numbers, often counted in rows or identifiers rather than people',
        'people who are inactive, opted out or unreachable on the platform are not visible here',
      ],
    };
  }
}

/** The age in days at which `share` of the people are younger or as old (nearest rank), or null. */
function dayPercentile(peopleByDays: ReadonlyMap<number, number>, share: number): number | null {
  let total = 0;
  for (const count of peopleByDays.values()) total += count;
  if (total === 0) return null;
  const rank = Math.min(total - 1, Math.floor(share * total));
  let seen = 0;
  for (const days of [...peopleByDays.keys()].sort((a, b) => a - b)) {
    seen += peopleByDays.get(days) as number;
    if (seen > rank) return days;
  }
  return null;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : round(part / whole, 4));
const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
