/**
 * How one destination sees an audience's values under the team's rules and destination settings.
 * Built the same way on the main thread and in the worker threads of a pass, so both see alike.
 */
import type { EvaluationSettings, JunkReason } from '../core/audience/evaluate-person.js';
import type { PersonValue } from '../core/audience/person.js';
import type { DestinationId } from '../core/destinations/destination-profile.js';
import { fieldForRulesTarget } from '../core/destinations/field-for-type.js';
import type { DestinationField } from '../core/destinations/types.js';
import { ValueMemo } from '../core/value-memo.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { DestinationCatalog } from './destination-settings-file.js';

type JunkCheck = (value: PersonValue) => JunkReason | undefined;

/**
 * `withUpload: false` skips hashing (reports need only the verdict); `junk` is shared by the
 * destinations of a pass, one memo of the rules' junk verdicts.
 */
function evaluationSettings(
  rules: LoadedRules,
  catalog: DestinationCatalog,
  destination: DestinationId,
  withUpload: boolean,
  junk: JunkCheck,
): EvaluationSettings {
  const fieldOf = new Map<string, DestinationField>();
  for (const [name, config] of Object.entries(rules.file.identifiers)) {
    const field = fieldForRulesTarget(name, config.normalizer);
    if (field) fieldOf.set(name, field);
  }
  for (const [name, config] of Object.entries(rules.file.attributes)) {
    const field = fieldForRulesTarget(name, config.normalizer);
    if (field) fieldOf.set(name, field);
  }
  return { destination: catalog[destination], fieldOf, junk, withUpload, memo: new ValueMemo() };
}

/**
 * The rules file's junk and blocked verdicts, remembered per value. Shared by the destinations of
 * one pass, which ask about each person's values one after another.
 */
function junkCheck(rules: LoadedRules): JunkCheck {
  const { normalizers } = rules;
  const memo = new ValueMemo<JunkReason | 'OK'>();
  return (value) => {
    const verdict = memo.get(value.target, value.country, value.raw, () => {
      const result = normalizers.normalize(value.target, value.raw, value.country ? { country: value.country } : {});
      return !result.ok && (result.reason === 'JUNK_VALUE' || result.reason === 'BLOCKED_VALUE') ? result.reason : 'OK';
    });
    return verdict === 'OK' ? undefined : verdict;
  };
}

/** Settings for a pass: one junk memo shared by all its destinations. */
export function passSettings(rules: LoadedRules, catalog: DestinationCatalog) {
  const junk = junkCheck(rules);
  return (destination: DestinationId, withUpload: boolean): EvaluationSettings =>
    evaluationSettings(rules, catalog, destination, withUpload, junk);
}
