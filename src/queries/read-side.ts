/**
 * What a shell's read routes are handed at wiring time: the store's reads (never its commits) and
 * the rules in force. The API takes a function returning one, since applying rules changes them.
 */
import type { LoadedRules } from '../engine/rules/loaded-rules.js';
import type { GraphReads } from '../store/graph-store.js';

export interface ReadSide {
  readonly store: GraphReads;
  readonly rules: LoadedRules;
}
