package dev.idgraph.neo4j;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * A real Neo4j server for machines without Docker: the embedded DBMS with the Bolt connector, on
 * loopback only (it never listens on another interface), without authentication unless
 * NEO4J_PASSWORD is set: then the user neo4j needs that password, as on a production server. Data
 * folder and port come from NEO4J_DATA and NEO4J_PORT. Prints one line when Bolt accepts
 * connections, which scripts and tests wait for, and shuts down cleanly on SIGTERM or Ctrl-C.
 */
public final class LocalNeo4j {
  private LocalNeo4j() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(env("NEO4J_PORT", "7687"));
    Path data = Path.of(env("NEO4J_DATA", "graph/data")).toAbsolutePath();
    Files.createDirectories(data);
    requirePortFree(port);
    String password = System.getenv("NEO4J_PASSWORD");
    boolean auth = password != null && !password.isEmpty();

    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(data)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(HttpConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, auth)
        .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10))
        .setConfig(GraphDatabaseSettings.pagecache_memory, Long.parseLong(env("NEO4J_PAGECACHE_MB", "512")) * 1024 * 1024)
        .build();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("neo4j stopping");
      dbms.shutdown();
    }, "neo4j-shutdown"));
    try {
      if (auth) setPassword(dbms, password);
      // Touch the default database so "ready" means queries will be answered.
      dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
    } catch (RuntimeException failure) {
      // Without this the DBMS threads would keep the JVM alive, never ready: waiters would hang.
      System.err.println("neo4j: start failed: " + failure.getMessage());
      System.exit(1);
    }
    System.out.println("neo4j ready bolt://127.0.0.1:" + port + " data " + data);
  }

  /**
   * The embedded API is not subject to authentication, so it can set the password Bolt clients need.
   * A restart on the same data folder finds it set already, which Neo4j reports as an error.
   */
  private static void setPassword(DatabaseManagementService dbms, String password) {
    try {
      dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
          "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", java.util.Map.of("password", password));
    } catch (QueryExecutionException failure) {
      if (!String.valueOf(failure.getMessage()).contains("cannot be the same")) throw failure;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static void requirePortFree(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      probe.setReuseAddress(true);
    } catch (IOException taken) {
      System.err.println("neo4j: port " + port + " on 127.0.0.1 is already in use; set NEO4J_PORT to another port");
      System.exit(2);
    }
  }
}
