/**
 * One run of `idgraph export resolved`: what to write (everything, or the profiles touched since
 * the last run), read from the store in batches and handed to the destination, in one transaction.
 *
 * The last run lives in the destination (P_export_state), so a destination that was reset gets a
 * full export. A run is keyed by the store's last commit, read before anything else: whatever is
 * committed while the run reads is after that commit, so the next run asks for it again. A run is
 * full when asked (--full), when there is no last run or one of its tables is gone, when the store
 * is not the one the last run read (a store rebuilt from scratch starts again at commit 1, so the
 * commit number alone cannot tell), or when the rules' attributes changed (P_profiles is recreated
 * with the new columns).
 */

import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import { type ResolvedReads, resolvedChanges } from '../queries/resolved-changes.js';
import type { GraphReads } from '../store/graph-store.js';
import type { Destination, DestinationState } from './destination.js';
import { tableLayout } from './table-layout.js';
import { tableRows } from './table-rows.js';

export interface ExportSummary {
  readonly destination: string;
  readonly prefix: string;
  readonly run: number;
  readonly full: boolean;
  /** Why the run is full, or `changes since commit N`. */
  readonly reason: string;
  /** The store commit the run exported through. */
  readonly storeCommit: number;
  readonly profilesWritten: number;
  readonly profilesRemoved: number;
  readonly redirectsWritten: number;
  readonly recordsWritten: number;
  readonly identifiersWritten: number;
  /** Rows of every table written: records, identifiers, profiles and redirects. */
  readonly rowsWritten: number;
  /** From the destination's transaction's start to its commit (the store's opening aside). */
  readonly seconds: number;
}

export interface ExportOptions {
  readonly prefix: string;
  /** Rewrite everything even when the last run allows an incremental one. */
  readonly full?: boolean;
  /** Other processes may commit while the run reads the store (Neo4j): see resolved-changes.ts. */
  readonly storeMayChange?: boolean;
  readonly version: string;
  readonly now?: () => Date;
}

export async function exportResolved(
  store: ResolvedReads & Pick<GraphReads, 'lastCommit' | 'event'>,
  rules: Pick<LoadedRules, 'file'>,
  destination: Destination,
  options: ExportOptions,
): Promise<ExportSummary> {
  const layout = tableLayout(options.prefix, Object.keys(rules.file.attributes));
  const storeCommit = await store.lastCommit();
  const storeOrigin = await originOf(store);
  const at = (options.now ?? (() => new Date()))().getTime();
  const started = performance.now();
  try {
    const state = await destination.begin(layout);
    const plan = planRun(state, { storeCommit, storeOrigin, attributes: layout.attributes, full: options.full });
    await destination.prepare(plan.full, plan.recreateProfiles);
    const counts = { profiles: 0, removed: 0, redirects: 0, records: 0, identifiers: 0 };
    for await (const batch of resolvedChanges(store, rules, plan.since, { storeMayChange: options.storeMayChange })) {
      const rows = tableRows(batch, layout, at);
      counts.profiles += rows.profiles.length;
      // A full run starts from empty tables: an ID that leads nowhere has nothing to remove there.
      if (!plan.full) counts.removed += rows.removed.length;
      counts.redirects += rows.redirects.length;
      counts.records += rows.resolved.length;
      counts.identifiers += rows.identifiers.length;
      await destination.write(rows);
    }
    const run = (state.lastRun?.run ?? 0) + 1;
    const rowsWritten = counts.records + counts.identifiers + counts.profiles + counts.redirects;
    await destination.commit({
      run,
      at,
      storeCommit,
      storeOrigin,
      full: plan.full,
      profilesWritten: counts.profiles,
      profilesRemoved: counts.removed,
      redirectsWritten: counts.redirects,
      rowsWritten,
      version: options.version,
    });
    return {
      destination: destination.label,
      prefix: layout.prefix,
      run,
      full: plan.full,
      reason: plan.reason,
      storeCommit,
      profilesWritten: counts.profiles,
      profilesRemoved: counts.removed,
      redirectsWritten: counts.redirects,
      recordsWritten: counts.records,
      identifiersWritten: counts.identifiers,
      rowsWritten,
      seconds: Math.round(performance.now() - started) / 1000,
    };
  } catch (error) {
    await destination.rollback();
    throw error;
  }
}

export interface RunPlan {
  readonly full: boolean;
  /** The commit after which changes are read: 0 for a full run. */
  readonly since: number;
  readonly recreateProfiles: boolean;
  readonly reason: string;
}

export function planRun(
  state: DestinationState,
  store: { storeCommit: number; storeOrigin: string; attributes: readonly string[]; full?: boolean },
): RunPlan {
  const last = state.lastRun;
  const attributesChanged = last !== undefined && last.attributes.join(',') !== store.attributes.join(',');
  const full = (reason: string): RunPlan => ({ full: true, since: 0, recreateProfiles: attributesChanged, reason });
  if (store.full) return full('asked for (--full)');
  if (!last) return full('no earlier export to these tables');
  if (!state.tablesPresent) return full('a table of the last export is missing');
  if (last.storeOrigin !== store.storeOrigin || last.storeCommit > store.storeCommit) {
    return full('the store is not the one the last export read');
  }
  if (attributesChanged) return full("the rules' attributes changed since the last export");
  return {
    full: false,
    since: last.storeCommit,
    recreateProfiles: false,
    reason: `changes since commit ${last.storeCommit}`,
  };
}

/**
 * What tells this store from another one: the time of its first commit's first event. A store
 * loaded again from scratch has a new one; nothing but the first commit writes that event.
 */
async function originOf(store: Pick<GraphReads, 'event'>): Promise<string> {
  return (await store.event('e1-1'))?.at ?? '';
}
