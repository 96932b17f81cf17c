// Events in commit order from a given commit on: the overview's trend counts only the events of the
// commits since its last count (GraphReads.eventCounts), however long the history.
CREATE INDEX idgraph_event_commit IF NOT EXISTS FOR (e:Event) ON (e.commit, e.n);
