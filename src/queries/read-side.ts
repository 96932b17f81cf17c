/**
 * What a shell's read routes are handed at wiring time: the store's reads (never its commits) and
 * the rules in force. The API takes a function returning one, since applying rules changes them.
 */
import type { FrequencySource } from '../core/resolve/term-frequencies.js';
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { GraphReads } from '../store/graph-store.js';

export interface ReadSide {
  readonly store: GraphReads;
  readonly rules: LoadedRules;
  /** The term counts of the store's records, for scoring a pair as resolution does (the engine keeps them). */
  readonly frequencies: FrequencySource;
}
