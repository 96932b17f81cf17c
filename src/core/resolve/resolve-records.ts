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
 */
import { blockingKeys } from './blocking.js';
import type { CompiledDeterministicRule, CompiledFuzzyRule, CompiledRules } from './compiled-rules.js';
import { fieldKeys } from './compiled-rules.js';
import { ConstrainedUnion } from './constrained-union.js';
import { type CompareKeys, compareKeysOf, reachesMinScore, scorePair } from './fuzzy-score.js';
import { countPeople, type PersonSignature } from './shared-values.js';
import type { Decision, EvidenceItem, MergeEdge, PreparedRecord, RecordRef, RefusalReason } from './types.js';
import { identifierKey, splitIdentifierKey } from './types.js';

export interface ResolveInput {
  readonly records: readonly PreparedRecord[];
  readonly rules: CompiledRules;
  readonly decisions: readonly Decision[];
  /** Whether an identifier value (identifierKey) has so many holders that it is shared uncounted. */
  readonly isHub: (identifier: string) => boolean;
}

export interface Refusal {
  readonly a: RecordRef;
  readonly b: RecordRef;
  readonly rule: string;
  readonly reason: RefusalReason;
}

export interface ResolveOutput {
  /** Each cluster's refs sorted; clusters ordered by their first ref. */
  readonly clusters: RecordRef[][];
  readonly edges: MergeEdge[];
  readonly refusals: Refusal[];
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
  if (lone) return { clusters: [[lone.ref]], edges: [], refusals: [], shared: new Map() };
  const records = [...input.records].sort(compareRecords);
  const union = new ConstrainedUnion(records, input.rules, input.decisions);
  const edges: MergeEdge[] = [];
  const refusals: Refusal[] = [];
  const indexOf = new Map(records.map((record, index) => [record.ref, index]));

  const attempt = (a: number, b: number, rule: string, evidence: EvidenceItem[], score?: number): boolean => {
    if (union.find(a) === union.find(b)) return true;
    const reason = union.refusal(a, b, { manual: rule === MANUAL_LINK_RULE });
    const refA = (records[a] as PreparedRecord).ref;
    const refB = (records[b] as PreparedRecord).ref;
    if (reason) {
      refusals.push({ a: refA, b: refB, rule, reason });
      return false;
    }
    union.union(a, b);
    edges.push(
      score === undefined ? { a: refA, b: refB, rule, evidence } : { a: refA, b: refB, rule, evidence, score },
    );
    return true;
  };

  const verdicts = new SharedVerdicts(records, input, union);
  for (const link of forceLinks(input.decisions, indexOf)) attempt(link[0], link[1], MANUAL_LINK_RULE, []);
  for (const rule of input.rules.rules) {
    if (rule.kind === 'deterministic') {
      verdicts.decideFor(rule);
      applyDeterministic(rule, records, input, verdicts, union, attempt);
    } else applyFuzzy(rule, records, attempt);
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
  return { clusters, edges, refusals, shared: verdicts.decided };
}

/** Shared verdicts, decided per value the first time a rule could use it. */
class SharedVerdicts {
  readonly decided = new Map<string, boolean>();
  private readonly holders = new Map<string, number[]>();

  constructor(
    records: readonly PreparedRecord[],
    private readonly input: ResolveInput,
    private readonly union: ConstrainedUnion,
  ) {
    records.forEach((record, index) => {
      for (const identifier of record.identifiers) {
        const key = identifierKey(identifier.type, identifier.key);
        const list = this.holders.get(key);
        if (list) list.push(index);
        else this.holders.set(key, [index]);
      }
    });
  }

  isEvidence(key: string): boolean {
    return !this.input.isHub(key) && this.decided.get(key) !== true;
  }

  decideFor(rule: CompiledDeterministicRule): void {
    const { rules } = this.input;
    const types = new Set(rule.fields.filter((field) => rules.sharedAfter.has(field)));
    if (types.size === 0) return;
    for (const [key, holders] of this.holders) {
      if (this.decided.has(key)) continue;
      const { type } = splitIdentifierKey(key);
      if (!types.has(type)) continue;
      const threshold = rules.sharedAfter.get(type) as number;
      if (holders.length < threshold) continue;
      const people = this.peopleSignatures(holders);
      this.decided.set(key, countPeople(people, rules.personNameFields, threshold) >= threshold);
    }
  }

  /** One signature per current cluster among the holders, in priority order of their first holder. */
  private peopleSignatures(holders: readonly number[]): PersonSignature[] {
    const fields = [...new Set([...this.input.rules.distinctPeopleBy, ...this.input.rules.conflictFields])];
    const seen = new Set<number>();
    const signatures: PersonSignature[] = [];
    for (const holder of holders) {
      const root = this.union.find(holder);
      if (seen.has(root)) continue;
      seen.add(root);
      const signature = new Map<string, ReadonlySet<string>>();
      for (const field of fields) {
        const values = this.union.fieldValues(root, field);
        if (values && values.size > 0) signature.set(field, values);
      }
      signatures.push(signature);
    }
    return signatures;
  }
}

type Attempt = (a: number, b: number, rule: string, evidence: EvidenceItem[], score?: number) => boolean;

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

/** The tuples of matching keys a record offers a deterministic rule, skipping shared values. */
function ruleTuples(
  record: PreparedRecord,
  rule: CompiledDeterministicRule,
  input: ResolveInput,
  verdicts: SharedVerdicts,
): string[][] {
  let tuples: string[][] = [[]];
  for (const field of rule.fields) {
    let keys = fieldKeys(record, field);
    if (input.rules.identifierTypes.has(field)) {
      keys = keys.filter((key) => verdicts.isEvidence(identifierKey(field, key)));
    }
    if (keys.length === 0) return [];
    tuples = tuples.flatMap((tuple) => keys.map((key) => [...tuple, key]));
  }
  return tuples;
}

function applyDeterministic(
  rule: CompiledDeterministicRule,
  records: readonly PreparedRecord[],
  input: ResolveInput,
  verdicts: SharedVerdicts,
  union: ConstrainedUnion,
  attempt: Attempt,
): void {
  // Map iteration follows insertion order, and records are visited in priority order, so groups come
  // out ordered by their earliest record and members in priority order.
  const groups = new Map<string, { tuple: string[]; members: number[] }>();
  records.forEach((record, index) => {
    for (const tuple of ruleTuples(record, rule, input, verdicts)) {
      const id = tuple.join('\u0000');
      const group = groups.get(id);
      if (group) group.members.push(index);
      else groups.set(id, { tuple, members: [index] });
    }
  });
  for (const { tuple, members } of groups.values()) {
    if (members.length < 2) continue;
    const evidence: EvidenceItem[] = rule.fields.map((field, position) => ({
      field,
      values: [tuple[position] as string],
    }));
    // Each member joins the first earlier cluster of the group that accepts it; a member refused by
    // every one starts a cluster of its own within the group.
    const anchors: number[] = [];
    for (const member of members) {
      const root = union.find(member);
      let placed = anchors.some((anchor) => union.find(anchor) === root);
      for (let i = 0; !placed && i < anchors.length; i++) {
        placed = attempt(anchors[i] as number, member, rule.id, evidence);
      }
      if (!placed) anchors.push(member);
    }
  }
}

function applyFuzzy(rule: CompiledFuzzyRule, records: readonly PreparedRecord[], attempt: Attempt): void {
  const blocks = new Map<string, number[]>();
  records.forEach((record, index) => {
    for (const key of blockingKeys(record, rule)) {
      const block = blocks.get(key);
      if (block) block.push(index);
      else blocks.set(key, [index]);
    }
  });
  const seen = new Set<number>();
  const matches: { a: number; b: number; score: number; evidence: EvidenceItem[] }[] = [];
  // Most candidates are no match: decided from the compared keys first, scored in full (with
  // evidence) only when they match.
  const compared: (CompareKeys | undefined)[] = new Array(records.length);
  const keysOf = (index: number) => {
    compared[index] ??= compareKeysOf(records[index] as PreparedRecord, rule);
    return compared[index];
  };
  for (const block of blocks.values()) {
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const a = block[i] as number;
        const b = block[j] as number;
        const pairId = a * records.length + b;
        if (seen.has(pairId)) continue;
        seen.add(pairId);
        if (!reachesMinScore(keysOf(a), keysOf(b), rule)) continue;
        const { score, evidence } = scorePair(records[a] as PreparedRecord, records[b] as PreparedRecord, rule);
        matches.push({ a, b, score, evidence });
      }
    }
  }
  matches.sort((x, y) => y.score - x.score || x.a - y.a || x.b - y.b);
  for (const match of matches) attempt(match.a, match.b, rule.id, match.evidence, match.score);
}
