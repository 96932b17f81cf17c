/** Turns rules text into everything the engine needs, or the located problems that stop it. */
import { createRecordNormalizers } from '../../core/normalize/rules-normalizers.js';
import { compileRules } from '../../core/resolve/compiled-rules.js';
import { loadRules } from '../../core/rules/load.js';
import { formatProblem } from '../../core/rules/problems.js';
import type { LoadedRules } from './loaded-rules.js';

export type RulesLoadResult =
  | { readonly ok: true; readonly rules: LoadedRules; readonly warnings: string[] }
  | { readonly ok: false; readonly problems: string[] };

export function loadRulesText(text: string, fileName: string): RulesLoadResult {
  const loaded = loadRules(text);
  if (!loaded.ok) return { ok: false, problems: loaded.problems.map((problem) => formatProblem(fileName, problem)) };
  return {
    ok: true,
    rules: {
      file: loaded.rules,
      compiled: compileRules(loaded.rules),
      normalizers: createRecordNormalizers(loaded.rules),
      version: loaded.version,
      text,
    },
    warnings: loaded.warnings.map((problem) => formatProblem(fileName, problem)),
  };
}

/** Rules text already validated elsewhere (a worker thread gets the main thread's): a problem is a bug. */
export function loadValidatedRules(text: string): LoadedRules {
  const result = loadRulesText(text, 'rules');
  if (!result.ok) throw new Error(`rules that loaded once no longer load: ${result.problems.join('; ')}`);
  return result.rules;
}
