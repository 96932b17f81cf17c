/**
 * What the CLI and the API do with audiences: create one from member rows, report on it for one
 * destination or all, and write its upload file. Resolution runs against the graph as it is now.
 */
import { join, resolve } from 'node:path';
import type { EvaluationSettings, JunkReason } from '../core/audience/evaluate-person.js';
import { type AudienceMember, type MemberParse, parseMemberRow } from '../core/audience/members.js';
import type { AudiencePerson, PersonValue } from '../core/audience/person.js';
import { buildMatchReport } from '../core/audience/report.js';
import type { MatchReport } from '../core/audience/report-types.js';
import type { DestinationId } from '../core/destinations/destination-profile.js';
import { fieldForRulesTarget } from '../core/destinations/field-for-type.js';
import type { DestinationField } from '../core/destinations/types.js';
import { ValueMemo } from '../core/value-memo.js';
import type { LoadedRules } from '../engine/loaded-rules.js';
import type { GraphStore } from '../store/graph-store.js';
import { isNeo4jSpec } from '../store/open-store.js';
import { type ActivationSummary, activationCsv, writeActivationFile } from './activation.js';
import { type AudienceDefinition, AudienceStore } from './audience-store.js';
import type { DestinationCatalog } from './destination-settings-file.js';
import {
  isSuppressed,
  type ResolveContext,
  resolveAudience,
  type SuppressionSet,
  suppressionSet,
} from './resolve-audience.js';

/** Audiences live beside an embedded store, or in .idgraph/audiences when the graph is in Neo4j. */
export function audienceFolder(storeSpec: string, explicit?: string): string {
  if (explicit) return resolve(explicit);
  return isNeo4jSpec(storeSpec) ? resolve('.idgraph/audiences') : join(resolve(storeSpec), 'audiences');
}

export interface MemberRowsOutcome {
  readonly members: AudienceMember[];
  readonly rejected: { readonly line: number; readonly reason: string }[];
}

/** Parses uploaded rows (from a file or a request) into members, collecting rejections by line. */
export function parseMembers(
  rows: Iterable<{ line: number; row: Record<string, unknown> } | { line: number; problem: string }>,
  rules: LoadedRules,
): MemberRowsOutcome {
  const targets = new Set([...Object.keys(rules.file.identifiers), ...Object.keys(rules.file.attributes)]);
  const contextOnly = new Set(
    Object.entries(rules.file.attributes)
      .filter(([, config]) => config.normalizer === 'country')
      .map(([name]) => name),
  );
  const members: AudienceMember[] = [];
  const rejected: { line: number; reason: string }[] = [];
  for (const entry of rows) {
    if ('problem' in entry) {
      rejected.push({ line: entry.line, reason: entry.problem });
      continue;
    }
    const parsed: MemberParse = parseMemberRow(entry.row, entry.line, targets, contextOnly);
    if (parsed.ok) members.push(parsed.member);
    else rejected.push({ line: parsed.line, reason: parsed.reason });
  }
  return { members, rejected };
}

export interface AudiencePeople {
  readonly definition: AudienceDefinition;
  /** People left after suppression. */
  readonly people: AudiencePerson[];
  readonly suppressed: number;
  readonly rowsUnresolved: number;
  readonly rowsNotFound: number;
}

/** The counts a marketer previews before reporting: rows in, people out. */
export interface AudiencePreview {
  readonly rows: number;
  readonly rowsRejected: number;
  readonly rowsNotFound: number;
  readonly rowsUnresolved: number;
  readonly people: number;
  readonly suppressed: number;
}

export class AudienceService {
  readonly audiences: AudienceStore;

  constructor(
    private readonly store: GraphStore,
    private readonly rules: LoadedRules,
    folder: string,
    /** The destinations with the team's settings applied (loadDestinationCatalog). */
    private readonly catalog: DestinationCatalog,
    private readonly clock: () => number = Date.now,
  ) {
    this.audiences = new AudienceStore(folder);
  }

  async create(
    id: string,
    outcome: MemberRowsOutcome,
    options: { name?: string; suppress?: readonly string[]; replace?: boolean } = {},
  ): Promise<AudienceDefinition> {
    const rejectedByReason: Record<string, number> = {};
    for (const { reason } of outcome.rejected) rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
    const definition: AudienceDefinition = {
      id,
      name: options.name ?? id,
      createdAt: new Date(this.clock()).toISOString(),
      suppress: options.suppress ?? [],
      rows: outcome.members.length + outcome.rejected.length,
      rowsRejected: outcome.rejected.length,
      rejectedByReason,
    };
    await this.audiences.create(definition, outcome.members, options.replace);
    return definition;
  }

  /** The audience's people after resolution and suppression. */
  async people(id: string): Promise<AudiencePeople> {
    const definition = await this.audiences.require(id);
    const context = this.context();
    const resolved = await resolveAudience(context, this.audiences.members(id));
    const sets: SuppressionSet[] = [];
    for (const other of definition.suppress) {
      await this.audiences.require(other);
      sets.push(suppressionSet(context, await resolveAudience(context, this.audiences.members(other))));
    }
    const people =
      sets.length === 0 ? resolved.people : resolved.people.filter((person) => !isSuppressed(context, person, sets));
    return {
      definition,
      people,
      suppressed: resolved.people.length - people.length,
      rowsUnresolved: resolved.rowsUnresolved,
      rowsNotFound: resolved.rowsNotFound,
    };
  }

  async preview(id: string): Promise<AudiencePreview> {
    const { definition, people, suppressed, rowsUnresolved, rowsNotFound } = await this.people(id);
    return {
      rows: definition.rows,
      rowsRejected: definition.rowsRejected,
      rowsNotFound,
      rowsUnresolved,
      people: people.length,
      suppressed,
    };
  }

  async report(id: string, destination: DestinationId): Promise<MatchReport> {
    return (await this.reports(id, [destination]))[0] as MatchReport;
  }

  async reports(id: string, destinations: readonly DestinationId[]): Promise<MatchReport[]> {
    const { definition, people, suppressed, rowsUnresolved, rowsNotFound } = await this.people(id);
    const lastCommit = await this.store.lastCommit();
    const junk = this.junkCheck();
    return destinations.map((destination) =>
      buildMatchReport({
        audience: {
          id: definition.id,
          name: definition.name,
          createdAt: definition.createdAt,
          suppress: definition.suppress,
          rows: definition.rows,
          rowsRejected: definition.rowsRejected,
          rowsUnresolved,
          rowsNotFound,
        },
        people,
        suppressed,
        settings: this.settings(destination, { withUpload: false, junk }),
        graph: { rulesVersion: this.rules.version, lastCommit },
        nowMs: this.clock(),
      }),
    );
  }

  async export(id: string, destination: DestinationId, path: string): Promise<ActivationSummary> {
    const { people } = await this.people(id);
    return writeActivationFile(path, people, this.settings(destination));
  }

  /** The upload file as CSV chunks, for streaming over HTTP. */
  async exportCsv(id: string, destination: DestinationId): Promise<Iterable<string>> {
    const { people } = await this.people(id);
    return activationCsv(people, this.settings(destination));
  }

  /**
   * How one destination sees values. `withUpload: false` skips hashing (reports need only the
   * verdict); `junk` lets several destinations share one memo of the rules' junk verdicts.
   */
  settings(
    destination: DestinationId,
    options: { withUpload?: boolean; junk?: (value: PersonValue) => JunkReason | undefined } = {},
  ): EvaluationSettings {
    const fieldOf = new Map<string, DestinationField>();
    for (const [name, config] of Object.entries(this.rules.file.identifiers)) {
      const field = fieldForRulesTarget(name, config.normalizer);
      if (field) fieldOf.set(name, field);
    }
    for (const [name, config] of Object.entries(this.rules.file.attributes)) {
      const field = fieldForRulesTarget(name, config.normalizer);
      if (field) fieldOf.set(name, field);
    }
    return {
      destination: this.catalog[destination],
      fieldOf,
      junk: options.junk ?? this.junkCheck(),
      withUpload: options.withUpload ?? true,
      memo: new ValueMemo(),
    };
  }

  /**
   * The rules file's junk and blocked verdicts, remembered per value. Shared by the destinations of
   * one view across all of them, which pass over the same values one after another.
   */
  private junkCheck(): (value: PersonValue) => JunkReason | undefined {
    const { normalizers } = this.rules;
    const memo = new ValueMemo<JunkReason | 'OK'>(400_000, 'first');
    return (value) => {
      const verdict = memo.get(value.target, value.country, value.raw, () => {
        const result = normalizers.normalize(value.target, value.raw, value.country ? { country: value.country } : {});
        return !result.ok && (result.reason === 'JUNK_VALUE' || result.reason === 'BLOCKED_VALUE')
          ? result.reason
          : 'OK';
      });
      return verdict === 'OK' ? undefined : verdict;
    };
  }

  private context(): ResolveContext {
    return { store: this.store, rules: this.rules.file, normalizers: this.rules.normalizers };
  }
}
