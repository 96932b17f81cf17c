#!/usr/bin/env bash
# `npm run neo4j`: a real Neo4j 5.26 server with Bolt on 127.0.0.1, in the foreground, for machines
# without Docker. Builds the launcher from Maven Central the first time (about 160 MB of jars).
#   NEO4J_PORT  Bolt port (default 7687)      NEO4J_DATA  data folder (default graph/data)
#   NEO4J_HEAP  JVM heap (default 1g)         NEO4J_PAGECACHE_MB  page cache (default 512)
#   NEO4J_PASSWORD  when set, authentication is on: user neo4j with this password (8+ characters)
#   --build-only  build and exit
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
exec java "-Xmx${NEO4J_HEAP:-1g}" \
  --add-opens java.base/java.lang=ALL-UNNAMED \
  --add-opens java.base/java.nio=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  -cp "$launcher/target/classes:$launcher/target/lib/*" \
  dev.idgraph.neo4j.LocalNeo4j
