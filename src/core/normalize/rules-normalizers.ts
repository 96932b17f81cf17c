/**
 * The normalizers of one rules file: for every identifier type and attribute, its kind's normalizer
 * followed by the file's own refusals (junk_values for every type, and each type's `blocked`).
 */
import type { RulesFile } from '../rules/schema.js';
import { compileValueList, listed, type ValueList } from './junk.js';
import { createNormalizer, type NormalizeContext, type Normalizer } from './normalizers.js';
import type { NormalizeResult } from './result.js';

export interface RecordNormalizers {
  /** One value for a target: an identifier type or an attribute name of the rules file. */
  normalize(target: string, raw: unknown, context: NormalizeContext): NormalizeResult;
  /** A country name or code to ISO 3166-1 alpha-2, the default region of a record's values. */
  country(raw: unknown): NormalizeResult;
}

const UNKNOWN_TARGET: NormalizeResult = { ok: false, reason: 'UNREADABLE' };

export function createRecordNormalizers(file: RulesFile): RecordNormalizers {
  const junk = file.junk_values;
  const globalJunk = compileValueList(junk?.values ?? [], junk?.patterns ?? []);
  const builtinJunk = junk?.builtin ?? true;
  const targets = new Map<string, Normalizer>();

  for (const [type, config] of Object.entries(file.identifiers)) {
    const base = createNormalizer(config.normalizer, {
      builtinJunk,
      ...(config.case ? { case: config.case } : {}),
      ...(config.pattern ? { pattern: config.pattern } : {}),
      ...(config.line_types ? { lineTypes: config.line_types } : {}),
    });
    const blocked = config.blocked ? compileValueList(config.blocked.values, config.blocked.patterns) : undefined;
    targets.set(type, withLists(base, globalJunk, blocked));
  }
  for (const [name, config] of Object.entries(file.attributes)) {
    const options = { builtinJunk, ...(config.earliest ? { earliest: config.earliest } : {}) };
    targets.set(name, withLists(createNormalizer(config.normalizer, options), globalJunk, undefined));
  }
  const country = createNormalizer('country');
  return {
    normalize: (target, raw, context) => targets.get(target)?.(raw, context) ?? UNKNOWN_TARGET,
    country: (raw) => country(raw),
  };
}

function withLists(normalizer: Normalizer, junk: ValueList, blocked: ValueList | undefined): Normalizer {
  return (raw, context) => {
    const result = normalizer(raw, context);
    if (!result.ok) return result;
    if (listed(junk, result.value, result.key)) return { ok: false, reason: 'JUNK_VALUE' };
    if (blocked && listed(blocked, result.value, result.key)) return { ok: false, reason: 'BLOCKED_VALUE' };
    return result;
  };
}
