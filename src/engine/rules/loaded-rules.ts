import type { RecordNormalizers } from '../../core/normalize/rules-normalizers.js';
import type { CompiledRules } from '../../core/resolve/compiled-rules.js';
import type { RulesFile } from '../../core/rules/schema.js';

/** A validated rules file with everything the engine derives from it. */
export interface LoadedRules {
  readonly file: RulesFile;
  readonly compiled: CompiledRules;
  readonly normalizers: RecordNormalizers;
  /** Rule-set version: a hash of the parsed rules, recorded on every event. */
  readonly version: string;
  /** The file's text, stored with the graph so `rules apply` history can show what was in force. */
  readonly text: string;
}
