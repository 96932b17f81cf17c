/**
 * A profile of the bulk path, and the event that tells its creation, with their JSON made from
 * the JSON of the profile's edges, which the worker that resolved the component wrote. The edges,
 * with their evidence, are most of both texts: the main thread, which writes every commit, then
 * neither rebuilds them as objects nor encodes them twice. A store that keeps JSON writes `json`
 * as it is, one that keeps the edges as text (Neo4j, and its import files) writes `edgesJson`;
 * anything else reads `edges` (or `evidence`), parsed on first use, and JSON.stringify gives the
 * same text through toJSON.
 */
import type { ProfileEvent } from '../../core/resolve/events.js';
import type { MergeEdge, RecordRef } from '../../core/resolve/types.js';
import type { StoredProfile } from '../../store/graph-store.js';

export class PackedProfile implements StoredProfile {
  private parsed: readonly MergeEdge[] | undefined;
  readonly recordsJson: string;

  constructor(
    readonly id: string,
    readonly seq: number,
    readonly records: readonly RecordRef[],
    /** JSON of the edges, in the order StoredProfile lists them. */
    readonly edgesJson: string,
    /** The rule of the first edge, which the creation event names (none without edges). */
    readonly firstRule: string | undefined,
  ) {
    this.recordsJson = JSON.stringify(records);
  }

  get edges(): readonly MergeEdge[] {
    this.parsed ??= JSON.parse(this.edgesJson) as MergeEdge[];
    return this.parsed;
  }

  /** JSON.stringify(this) as for a plain StoredProfile. */
  get json(): string {
    return `{"id":${JSON.stringify(this.id)},"seq":${this.seq},"records":${this.recordsJson},"edges":${this.edgesJson}}`;
  }

  toJSON(): StoredProfile {
    return { id: this.id, seq: this.seq, records: this.records, edges: this.edges };
  }
}

/** The event of a profile the bulk path created: kind profile_created, by the engine. */
export class ProfileCreatedEvent implements ProfileEvent {
  readonly kind = 'profile_created';
  readonly actor = 'engine';
  readonly before: readonly string[] = [];
  readonly after: readonly string[];
  readonly records: readonly RecordRef[];

  constructor(
    readonly id: string,
    readonly at: string,
    readonly rulesVersion: string,
    private readonly profile: PackedProfile,
  ) {
    this.after = [profile.id];
    this.records = profile.records;
  }

  get rule(): string | undefined {
    return this.profile.firstRule;
  }

  get evidence(): readonly MergeEdge[] {
    return this.profile.edges;
  }

  /** JSON.stringify(this) as for a plain ProfileEvent with the same fields. */
  get json(): string {
    const { id, at, rulesVersion, profile, rule } = this;
    return (
      `{"id":${JSON.stringify(id)},"kind":"profile_created","at":${JSON.stringify(at)},"actor":"engine",` +
      `"rulesVersion":${JSON.stringify(rulesVersion)},"before":[],"after":[${JSON.stringify(profile.id)}],` +
      `"records":${profile.recordsJson},${rule === undefined ? '' : `"rule":${JSON.stringify(rule)},`}` +
      `"evidence":${profile.edgesJson}}`
    );
  }

  toJSON(): ProfileEvent {
    const { id, kind, at, actor, rulesVersion, before, after, records, rule, evidence } = this;
    return {
      id,
      kind,
      at,
      actor,
      rulesVersion,
      before,
      after,
      records,
      ...(rule === undefined ? {} : { rule }),
      evidence,
    };
  }
}
