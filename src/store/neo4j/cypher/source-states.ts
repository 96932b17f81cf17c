/**
 * The watermarks of incremental sources: one (:SourceState {source}) node each, beside the graph
 * and outside the commit sequence (an ingest remembers its watermark after its last commit).
 */
import type { SourceState } from '../../graph-store.js';
import { cypher, type Statement } from './statement.js';

/** Columns `origin`, `column`, `watermark`, `at`; no row for a source never read incrementally. */
const SOURCE_STATE = cypher`
  MATCH (s:SourceState {source: $source})
  RETURN s.origin AS origin, s.column AS column, s.watermark AS watermark, s.at AS at`;

export const sourceState = (source: string): Statement => ({
  name: 'sourceState',
  cypher: SOURCE_STATE,
  params: { source },
});

const REMEMBER_SOURCE_STATE = cypher`
  MERGE (s:SourceState {source: $source})
  SET s.origin = $origin, s.column = $column, s.watermark = $watermark, s.at = $at`;

export const rememberSourceState = (state: SourceState): Statement => ({
  name: 'rememberSourceState',
  cypher: REMEMBER_SOURCE_STATE,
  params: {
    source: state.source,
    origin: state.origin,
    column: state.column,
    watermark: state.watermark,
    at: state.at,
  },
});
