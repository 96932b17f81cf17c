// The last commit that touched each profile (Profile.changed): an incremental export of the
// resolved tables (`idgraph export resolved`) asks for the profiles changed since its last run.
CREATE INDEX idgraph_profile_changed IF NOT EXISTS FOR (p:Profile) ON (p.changed);
