/**
 * Resolves a set of records into profiles. This is a pure function of the records, the rules, the
 * manual decisions and which identifier values are shared: the order the records arrived in plays no
 * part, which is what makes incremental ingest give the same partition as a batch run.
 *
 * Evidence is applied greedily in a fixed priority, and a merge that a protection forbids is refused:
 *   1. manual force-links;
 *   2. rules in file order;
 *   3. within a deterministic rule, groups of records sharing the rule's values, ordered by their
 *      earliest record; within a fuzzy rule, pairs by descending score;
 *   4. ties by record time, then record reference.
 * The accepted edges form a spanning forest that explains every profile. Whether a value is shared
 * is decided when the first rule that could use it runs (see shared-values.ts).
 *
 * When some value is found shared, its holders were counted by the profiles the rules before it had
 * formed; later evidence may still tie them to one person (a phone and a name joining a work and a
 * personal mailbox seen on one browser). So each such value is counted again with the profiles the
 * whole resolution formed without it, and when that makes one of them no longer shared, resolution
 * runs once more, counting those values that way.
 */
import { type AttemptRule, applyDeterministic, applyFuzzy } from './apply-rules.js';
import { fuzzyRulesOf } from './blocking.js';
import type { CompiledRules } from './compiled-rules.js';
import { ConstrainedUnion } from './constrained-union.js';
import type { GuardConflict } from './profile-guards.js';
import { type ReviewCandidate, ReviewCollector, type ReviewFinding } from './review-candidates.js';
import { type SharedVerdictOptions, SharedVerdicts } from './shared-verdicts.js';
import type { TermFrequencies } from './term-frequencies.js';
import type { Decision, EvidenceItem, MergeEdge, PreparedRecord, RecordRef, RefusalReason } from './types.js';

export interface ResolveInput {
  readonly records: readonly PreparedRecord[];
  readonly rules: CompiledRules;
  readonly decisions: readonly Decision[];
  /** Whether an identifier value (identifierKey) has so many holders that it is shared uncounted. */
  readonly isHub: (identifier: string) => boolean;
  /**
   * How common each value is among all the records, not only these (term-frequencies.ts): what
   * comparisons with term_frequency weigh agreements by. NO_TERM_FREQUENCIES when the rules have none.
   */
  readonly frequencies: TermFrequencies;
}

/** A merge a rule proposed and a protection refused, kept so an explanation can name it. */
export interface Refusal {
  readonly a: RecordRef;
  readonly b: RecordRef;
  readonly rule: string;
  readonly reason: RefusalReason;
  /** For `guard_conflict`: the guarded field and the values that disagreed. */
  readonly conflict?: GuardConflict;
}

export interface ResolveOutput {
  /** Each cluster's refs sorted; clusters ordered by their first ref. */
  readonly clusters: RecordRef[][];
  readonly edges: MergeEdge[];
  readonly refusals: Refusal[];
  /** Pairs kept apart that a data steward should look at, one per pair of profiles (review-candidates.ts). */
  readonly review: ReviewCandidate[];
  /** Verdict for every value of a type with shared_after that has at least that many holders. */
  readonly shared: Map<string, boolean>;
}

export const MANUAL_LINK_RULE = 'manual_link';

export function compareRecords(a: PreparedRecord, b: PreparedRecord): number {
  return a.ts - b.ts || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);
}

export function resolveRecords(input: ResolveInput): ResolveOutput {
  // A lone record is a profile of its own: no pair to link or refuse, and no value it holds has the
  // two or more holders that sharing needs (shared_after is at least 2). Most components of a first
  // load are lone records, and the general path's setup costs more than deciding them.
  const lone = input.records.length === 1 ? input.records[0] : undefined;
  if (lone) return { clusters: [[lone.ref]], edges: [], refusals: [], review: [], shared: new Map() };
  const records = [...input.records].sort(compareRecords);
  const first = resolvePass(records, input, { isHub: input.isHub });
  const withheld = new Set([...first.output.shared].filter(([, shared]) => shared).map(([key]) => key));
  // The values found shared were never evidence in this pass, so its profiles are what the other
  // evidence forms without them. Counted with those, a value that stays shared changes nothing.
  const flips = [...withheld].some((key) => !first.verdicts.countsAsShared(key, first.union));
  if (!flips) return first.output;
  const otherEvidence = { union: first.union, recount: withheld };
  return resolvePass(records, input, { isHub: input.isHub, otherEvidence }).output;
}

const MANUAL_LINK: AttemptRule = { id: MANUAL_LINK_RULE, guards: [] };

function resolvePass(
  records: readonly PreparedRecord[],
  input: ResolveInput,
  sharing: SharedVerdictOptions,
): { output: ResolveOutput; union: ConstrainedUnion; verdicts: SharedVerdicts } {
  const union = new ConstrainedUnion(records, input.rules, input.decisions);
  const edges: MergeEdge[] = [];
  const refusals: Refusal[] = [];
  const review = new ReviewCollector();
  const indexOf = new Map(records.map((record, index) => [record.ref, index]));
  const thresholds = new Map(fuzzyRulesOf(input.rules).map((rule) => [rule.id, rule.minScore]));

  const attempt = (a: number, b: number, rule: AttemptRule, evidence: EvidenceItem[], score?: number): boolean => {
    if (union.find(a) === union.find(b)) return true;
    const refused = union.refusal(a, b, { manual: rule === MANUAL_LINK, guards: rule.guards });
    const refA = (records[a] as PreparedRecord).ref;
    const refB = (records[b] as PreparedRecord).ref;
    if (refused) {
      refusals.push({ a: refA, b: refB, rule: rule.id, ...refused });
      // What a manual decision refused was decided by a person already.
      if (refused.reason !== 'manual_decision') {
        const threshold = thresholds.get(rule.id);
        review.add(a, b, {
          kind: 'refused',
          rule: rule.id,
          reason: refused.reason,
          ...(score !== undefined && threshold !== undefined ? { score, threshold } : {}),
          ...(refused.conflict ? { field: refused.conflict.field, conflict: refused.conflict } : {}),
        });
      }
      return false;
    }
    union.union(a, b);
    const edge: MergeEdge = { a: refA, b: refB, rule: rule.id, evidence };
    edges.push(score === undefined ? edge : { ...edge, score });
    return true;
  };

  const verdicts = new SharedVerdicts(records, input.rules, union, sharing);
  const note = (a: number, b: number, finding: ReviewFinding) => review.add(a, b, finding);
  for (const link of forceLinks(input.decisions, indexOf)) attempt(link[0], link[1], MANUAL_LINK, []);
  for (const rule of input.rules.rules) {
    if (rule.kind === 'deterministic') {
      verdicts.decideFor(rule.fields);
      applyDeterministic(rule, records, input.rules, verdicts, (index) => union.find(index), attempt, note);
    } else applyFuzzy(rule, records, input.rules, verdicts, input.frequencies, attempt, note);
  }

  const byRoot = new Map<number, RecordRef[]>();
  records.forEach((record, index) => {
    const root = union.find(index);
    const cluster = byRoot.get(root);
    if (cluster) cluster.push(record.ref);
    else byRoot.set(root, [record.ref]);
  });
  const clusters = [...byRoot.values()].map((refs) => refs.sort());
  clusters.sort((x, y) => ((x[0] as string) < (y[0] as string) ? -1 : 1));
  return {
    output: { clusters, edges, refusals, review: review.finish(records, union), shared: verdicts.decided },
    union,
    verdicts,
  };
}

function forceLinks(decisions: readonly Decision[], indexOf: Map<RecordRef, number>): [number, number][] {
  const links: [number, number][] = [];
  for (const decision of decisions) {
    if (decision.kind !== 'force_link') continue;
    const a = indexOf.get(decision.a);
    const b = indexOf.get(decision.b);
    if (a !== undefined && b !== undefined) links.push(a < b ? [a, b] : [b, a]);
  }
  return links.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}
