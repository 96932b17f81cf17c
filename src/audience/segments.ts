/**
 * Saving a segment and keeping it current. Its members are written as the audience of the same id
 * (one `profile_id` row per person), so reports, exports and suppressions treat it like any other
 * audience; when the graph has moved past the commit they were resolved against, the conditions are
 * run again before the audience is read (a suppression list then includes whoever converted since).
 */
import type { SegmentCondition } from '../core/audience/segment.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { AudienceStorage, GraphReads } from '../store/graph-store.js';
import { type AudienceService, parseMembers } from './audience-service.js';
import { AudienceError } from './audience-store.js';
import { runSegment, type SegmentOutcome } from './segment-builder.js';
import { type SavedSegment, SegmentStore } from './segment-store.js';

export class Segments {
  readonly saved: SegmentStore;
  /** One refresh at a time: two requests after a commit must not both rewrite the audiences. */
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: () => GraphReads,
    private readonly rules: () => LoadedRules,
    private readonly audiences: () => AudienceService,
    storage: AudienceStorage,
    private readonly clock: () => number = Date.now,
  ) {
    this.saved = new SegmentStore(storage);
  }

  preview(conditions: readonly SegmentCondition[]): Promise<SegmentOutcome> {
    return runSegment(this.store(), this.rules(), this.audiences(), conditions, this.clock());
  }

  /** Creates or changes a segment, adds the actor to its audit trail, and writes its members. */
  async save(
    id: string,
    input: { name?: string; conditions: readonly SegmentCondition[]; actor: string },
  ): Promise<{ segment: SavedSegment; outcome: SegmentOutcome }> {
    const before = await this.saved.get(id);
    if (!before && (await this.audiences().audiences.get(id))) {
      throw new AudienceError('AUDIENCE_EXISTS', `audience "${id}" was made from a file; pick another id`);
    }
    const at = new Date(this.clock()).toISOString();
    const outcome = await this.preview(input.conditions);
    const segment: SavedSegment = {
      id,
      name: input.name ?? before?.name ?? id,
      conditions: input.conditions,
      audit: [...(before?.audit ?? []), { at, actor: input.actor, action: before ? 'changed' : 'created' }],
      resolvedCommit: outcome.commit,
      resolvedAt: at,
    };
    await this.writeMembers(segment, outcome);
    await this.saved.put(segment);
    return { segment, outcome };
  }

  /** Re-runs every segment the graph has moved past since its members were resolved. */
  refresh(): Promise<void> {
    // A failed refresh (a named audience deleted) is answered to its caller, not to every later one.
    this.refreshing = this.refreshing
      .catch(() => undefined)
      .then(async () => {
        const commit = await this.store().lastCommit();
        for (const segment of await this.saved.list()) {
          if (segment.resolvedCommit === commit) continue;
          const outcome = await this.preview(segment.conditions);
          const current = {
            ...segment,
            resolvedCommit: outcome.commit,
            resolvedAt: new Date(this.clock()).toISOString(),
          };
          await this.writeMembers(current, outcome);
          await this.saved.put(current);
        }
      });
    return this.refreshing;
  }

  private async writeMembers(segment: SavedSegment, outcome: SegmentOutcome): Promise<void> {
    const rows = outcome.matched.map((profileId, line) => ({ line, row: { profile_id: profileId } }));
    await this.audiences().create(segment.id, parseMembers(rows, this.rules()), {
      name: segment.name,
      replace: true,
    });
  }
}
