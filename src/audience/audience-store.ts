/**
 * Audiences as the CLI and the API see them: the store's audience storage (graph-store.ts,
 * AudienceStorage: files beside an embedded store, nodes in Neo4j) behind the checks a caller is
 * answered by code: a valid id, audiences to suppress that exist, no silent overwrite. Members are
 * kept as uploaded, so a report always resolves them against the graph as it is now.
 */
import { AUDIENCE_ID, type AudienceDefinition } from '../core/audience/definitions.js';
import type { AudienceMember } from '../core/audience/members.js';
import type { AudienceStorage } from '../store/graph-store.js';

export type { AudienceDefinition } from '../core/audience/definitions.js';
export { AUDIENCE_ID } from '../core/audience/definitions.js';

export class AudienceError extends Error {
  constructor(
    readonly code: 'AUDIENCE_NOT_FOUND' | 'AUDIENCE_EXISTS' | 'AUDIENCE_ID_INVALID' | 'SUPPRESS_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

export class AudienceStore {
  constructor(readonly storage: AudienceStorage) {}

  async create(definition: AudienceDefinition, members: Iterable<AudienceMember>, replace = false): Promise<void> {
    if (!AUDIENCE_ID.test(definition.id)) {
      throw new AudienceError('AUDIENCE_ID_INVALID', `audience id "${definition.id}" must match ${AUDIENCE_ID.source}`);
    }
    for (const other of definition.suppress) {
      if (!(await this.get(other))) throw new AudienceError('SUPPRESS_NOT_FOUND', `no audience "${other}" to suppress`);
    }
    // The storage checks again as it writes: another instance may have created it meanwhile.
    if (
      (!replace && (await this.get(definition.id))) ||
      !(await this.storage.putAudience(definition, members, { replace }))
    ) {
      throw new AudienceError('AUDIENCE_EXISTS', `audience "${definition.id}" exists; replace it or pick another id`);
    }
  }

  async get(id: string): Promise<AudienceDefinition | undefined> {
    return AUDIENCE_ID.test(id) ? this.storage.audience(id) : undefined;
  }

  async require(id: string): Promise<AudienceDefinition> {
    const found = await this.get(id);
    if (!found) throw new AudienceError('AUDIENCE_NOT_FOUND', `no audience "${id}"`);
    return found;
  }

  list(): Promise<AudienceDefinition[]> {
    return this.storage.audiences();
  }

  /** Removes an audience (and the saved segment of the same id); an unknown one is AUDIENCE_NOT_FOUND. */
  async remove(id: string): Promise<void> {
    if (!AUDIENCE_ID.test(id) || !(await this.storage.removeAudience(id))) {
      throw new AudienceError('AUDIENCE_NOT_FOUND', `no audience "${id}"`);
    }
  }

  /** Removes member rows by line (an erasure), lowering the audience's row count. Returns how many rows went. */
  async dropRows(id: string, lines: ReadonlySet<number>): Promise<number> {
    await this.require(id);
    return this.storage.dropAudienceRows(id, lines);
  }

  async *members(id: string): AsyncIterable<AudienceMember> {
    for await (const batch of this.memberBatches(id)) yield* batch;
  }

  memberBatches(id: string): AsyncIterable<AudienceMember[]> {
    return this.storage.audienceMembers(id);
  }
}
