/**
 * The commit of an erasure: the named profiles' records are removed (their blocking keys and the
 * decisions about them with them), the records that shared values with them are re-resolved, each
 * profile is retired with a tombstone event, and the change set marks the records as erased so the
 * store scrubs its other copies (see GraphStore ChangeSet.erased).
 */
import { fuzzyRulesOf, recordBlockingKeys } from '../../core/resolve/blocking.js';
import { erasureEvent } from '../../core/resolve/erasure.js';
import type { TermFrequencies } from '../../core/resolve/term-frequencies.js';
import { type Decision, identifierKey, type PreparedRecord, type RecordRef } from '../../core/resolve/types.js';
import type { ChangeSet, ErasureReads } from '../../store/graph-store.js';
import { type CommitPlan, planCommit } from '../commit/plan-commit.js';
import { StagedView } from '../commit/staged-view.js';
import { EngineError } from '../engine-error.js';
import type { LoadedRules } from '../rules/loaded-rules.js';

export interface ErasurePlan {
  readonly plan: CommitPlan;
  /** The profiles erased: IDs asked for, merged-away ones followed to the profile they live in. */
  readonly profiles: string[];
  readonly records: RecordRef[];
  readonly staleBlockKeys: NonNullable<ChangeSet['staleBlockKeys']>;
  readonly decisionsRemoved: string[];
}

export async function planErasure(input: {
  store: ErasureReads;
  rules: LoadedRules;
  profileIds: readonly string[];
  commit: number;
  at: string;
  actor: string;
  note?: string;
  /** Decisions in force for a scope once `dropped` are gone. */
  decisions: (scope: readonly RecordRef[], dropped: readonly string[]) => Promise<Decision[]>;
  /** Term counts of the store's records once these are gone. */
  frequencies: (erased: readonly PreparedRecord[]) => TermFrequencies;
}): Promise<ErasurePlan> {
  const { store, rules } = input;
  const profiles = new Map<string, readonly RecordRef[]>();
  for (const id of input.profileIds) {
    const found = await store.findProfile(id);
    if (!found) throw new EngineError('PROFILE_NOT_FOUND', `no profile ${id}`);
    profiles.set(found.profile.id, found.profile.records);
  }
  const refs = [...profiles.values()].flat();
  const records = [...(await store.getRecords(refs)).values()];
  const fuzzy = fuzzyRulesOf(rules.compiled);
  const staleBlockKeys = records.map((record) => ({ ref: record.ref, keys: recordBlockingKeys(record, fuzzy) }));
  const identifiers = [
    ...new Set(records.flatMap((record) => record.identifiers.map((id) => identifierKey(id.type, id.key)))),
  ];
  const decisionsRemoved = (await store.decisionsFor(refs)).map((entry) => entry.decision.id);
  const view = new StagedView(store, new Map(), new Set(refs));
  const plan = await planCommit({
    view,
    rules: rules.compiled,
    rulesVersion: rules.version,
    seeds: [],
    extraIdentifiers: identifiers,
    frequencies: input.frequencies(records),
    decisions: (scope) => input.decisions(scope, decisionsRemoved),
    commit: input.commit,
    at: input.at,
    actor: input.actor,
    splitCause: 'record_changed',
  });
  // A shared value only the erased records held would otherwise stay in the shared list for good.
  const flipped = new Set(plan.shared.map((flip) => flip.identifier));
  for (const [identifier, { holders, shared }] of await view.identifierHolders(identifiers)) {
    if (shared && holders.length === 0 && !flipped.has(identifier)) plan.shared.push({ identifier, shared: false });
  }
  for (const profileId of profiles.keys()) {
    plan.retired.push({ id: profileId });
    plan.events.push(
      erasureEvent({
        id: `e${input.commit}-${plan.events.length + 1}`,
        profileId,
        at: input.at,
        actor: input.actor,
        rulesVersion: rules.version,
        ...(input.note ? { note: input.note } : {}),
      }),
    );
  }
  return { plan, profiles: [...profiles.keys()], records: refs, staleBlockKeys, decisionsRemoved };
}
