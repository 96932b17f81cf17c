/**
 * A privacy request end to end: the graph erases the people (Engine.erase), and the audiences drop
 * the member rows that named them. Shared by the API and the CLI.
 */
import type { DecisionOptions, Engine, ErasureSummary } from '../engine/engine.js';
import type { AudienceStore } from './audience-store.js';
import { forgetRows, rowsNamingErased } from './forget-erased.js';

export interface ErasureOutcome {
  /** Absent on a dry run. */
  readonly summary?: ErasureSummary;
  /** Audience member rows naming the people (removed unless a dry run). */
  readonly audienceRows: number;
}

export async function erasePeople(
  engine: Engine,
  audiences: AudienceStore,
  profileIds: readonly string[],
  options: DecisionOptions & { dryRun?: boolean },
): Promise<ErasureOutcome> {
  // Worked out before the erasure: afterwards the graph no longer knows whom the rows named.
  const { store, rules } = engine.readSide();
  const rows = await rowsNamingErased(store, rules, audiences, profileIds);
  const audienceRows = [...rows.values()].reduce((sum, lines) => sum + lines.size, 0);
  if (options.dryRun) return { audienceRows };
  const summary = await engine.erase(profileIds, {
    actor: options.actor,
    ...(options.note ? { note: options.note } : {}),
  });
  await forgetRows(audiences, rows);
  return { summary, audienceRows };
}
