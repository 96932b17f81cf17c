#!/usr/bin/env bash
# `npm run neo4j`: a real Neo4j 5.26 server with Bolt on 127.0.0.1, in the foreground, for machines
# without Docker. Builds the launcher from Maven Central the first time (about 160 MB of jars).
#   NEO4J_PORT  Bolt port (default 7687)      NEO4J_DATA  data folder (default graph/data)
#   NEO4J_HEAP  JVM heap (default 1g)         NEO4J_PAGECACHE_MB  page cache (default 512)
#   NEO4J_PASSWORD  when set, authentication is on: user neo4j with this password (8+ characters)
#   --build-only  build and exit
#   --import DIR  first, import the files `idgraph load --import-files DIR` wrote into a new database
#                 with Neo4j's offline importer (neo4j-admin database import full), then serve it.
#                 NEO4J_DATA must hold no database yet. NEO4J_IMPORT_MEMORY: the importer's off-heap
#                 memory (default 2g).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
launcher="$root/graph/launcher"
stamp="$launcher/target/.built-from"
# Rebuilt when the pom or a source file changed since the last build.
sources="$(cd "$launcher" && find pom.xml src -type f | sort | xargs sha256sum)"
if [ ! -d "$launcher/target/lib" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sources" ]; then
  echo "neo4j: building the launcher with Maven (first run downloads Neo4j from Maven Central)..." >&2
  mvn -q -B -f "$launcher/pom.xml" package -DskipTests >&2
  printf '%s' "$sources" > "$stamp"
fi
[ "${1:-}" = "--build-only" ] && exit 0
export NEO4J_DATA="${NEO4J_DATA:-$root/graph/data}"
java_opens=(--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED)
classpath="$launcher/target/classes:$launcher/target/lib/*"

if [ "${1:-}" = "--import" ]; then
  files="${2:-}"
  if [ -z "$files" ] || [ ! -f "$files/import.args" ]; then
    echo "neo4j: --import needs the folder \`idgraph load --import-files DIR\` wrote (with DIR/import.args)" >&2
    exit 2
  fi
  # The embedded DBMS keeps its databases under NEO4J_DATA/data (NEO4J_DATA is its home folder).
  database="$NEO4J_DATA/data/databases/neo4j"
  if [ -e "$database" ]; then
    echo "neo4j: $NEO4J_DATA already holds a database: the offline importer only creates a new one." >&2
    echo "neo4j: point NEO4J_DATA at a new folder (or move $NEO4J_DATA/data away), then import again" >&2
    exit 2
  fi
  mkdir -p "$NEO4J_DATA"
  NEO4J_DATA="$(cd "$NEO4J_DATA" && pwd)"
  files="$(cd "$files" && pwd)"
  # neo4j-admin wants a home folder: the same one, so the database lands where the server reads it.
  if ! (cd "$files" && NEO4J_HOME="$NEO4J_DATA" java "-Xmx${NEO4J_HEAP:-1g}" "${java_opens[@]}" -cp "$classpath" \
    org.neo4j.cli.AdminTool database import full neo4j \
    "--max-off-heap-memory=${NEO4J_IMPORT_MEMORY:-2g}" --report-file="$files/import.report" @import.args) >&2; then
    # A failed import leaves store files no server should start on: they go, so a fixed import can run.
    rm -rf "$database" "$NEO4J_DATA/data/transactions/neo4j"
    echo "neo4j: the import failed (see above and $files/import.report); nothing was started" >&2
    exit 1
  fi
fi

exec java "-Xmx${NEO4J_HEAP:-1g}" "${java_opens[@]}" -cp "$classpath" dev.idgraph.neo4j.LocalNeo4j
