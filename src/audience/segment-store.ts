/**
 * Saved segments: an audience defined by conditions, kept by the store's audience storage
 * (graph-store.ts, AudienceStorage) with its audit trail (who created and changed it, when) and the
 * commit its members were last resolved against. The audience of the same id holds the members.
 */
import { AUDIENCE_ID, type SavedSegment } from '../core/audience/definitions.js';
import type { AudienceStorage } from '../store/graph-store.js';

export type { AuditEntry, SavedSegment } from '../core/audience/definitions.js';

export class SegmentStore {
  constructor(private readonly storage: AudienceStorage) {}

  async get(id: string): Promise<SavedSegment | undefined> {
    return AUDIENCE_ID.test(id) ? this.storage.segment(id) : undefined;
  }

  list(): Promise<SavedSegment[]> {
    return this.storage.segments();
  }

  /** A crash leaves the old segment or the new one. */
  put(segment: SavedSegment): Promise<void> {
    return this.storage.putSegment(segment);
  }
}
