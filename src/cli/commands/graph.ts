import type { Command } from 'commander';
import { redact } from '../../store/neo4j/connection.js';
import { migrateNeo4j } from '../../store/neo4j/migrations.js';
import { isNeo4jSpec } from '../../store/open-store.js';
import { CliError, type CliIo } from '../io.js';

/** `idgraph graph ...`: the Neo4j side. The store applies migrations itself at open; this is for deploys. */
export function registerGraphCommands(program: Command, io: CliIo): void {
  const graph = program
    .command('graph')
    .description('Manage the Neo4j graph database behind a bolt:// or neo4j:// store.');
  graph
    .command('migrate')
    .description('Apply the constraints and indexes of graph/migrations (idempotent) and list what was applied.')
    .option('--store <uri>', 'Neo4j URI (default: IDGRAPH_STORE); credentials from NEO4J_USER / NEO4J_PASSWORD')
    .addHelpText('after', '\nExample:\n  idgraph graph migrate --store bolt://127.0.0.1:7687')
    .action(async (options: { store?: string }) => {
      const { env } = io;
      const uri = options.store ?? env.IDGRAPH_STORE;
      if (!isNeo4jSpec(uri)) {
        throw new CliError(`graph migrate needs a Neo4j URI (bolt:// or neo4j://), not ${uri}`, 2);
      }
      const applied = await migrateNeo4j({
        uri,
        user: env.NEO4J_USER,
        password: env.NEO4J_PASSWORD,
        database: env.NEO4J_DATABASE,
      });
      for (const migration of applied) {
        io.out(`${migration.file}: ${migration.statements.length} statement(s) applied\n`);
      }
      io.out(`Neo4j at ${redact(uri)} (database ${env.NEO4J_DATABASE}) is up to date\n`);
    });
}
