/** Statements about the server and its schema rather than the graph. Migrations themselves are `.cypher` files (graph/migrations). */
import { cypher, type Statement } from './statement.js';

const PING = cypher`
  RETURN 1`;

/** One query at connect: verifyConnectivity does not always authenticate against the database. */
export const ping = (): Statement => ({ name: 'ping', cypher: PING, params: {} });

const UNIQUE_PROPERTIES = cypher`
  SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties
  WHERE type IN ['UNIQUENESS', 'NODE_KEY', 'NODE_PROPERTY_UNIQUENESS']
    AND size(labelsOrTypes) = 1 AND size(properties) = 1
  RETURN labelsOrTypes[0] + '.' + properties[0] AS enforced`;

/**
 * The `Label.property` pairs a single-property uniqueness or node-key constraint enforces (column
 * `enforced`), whatever the constraints are named.
 */
export const uniqueProperties = (): Statement => ({ name: 'uniqueProperties', cypher: UNIQUE_PROPERTIES, params: {} });

const SCHEMA_NAMES = cypher`
  SHOW INDEXES YIELD name, owningConstraint
  RETURN name, owningConstraint`;

/**
 * The names of the indexes and of the constraints that own one (columns `name`, `owningConstraint`):
 * every constraint Neo4j Community makes (uniqueness) owns an index.
 */
export const schemaNames = (): Statement => ({ name: 'schemaNames', cypher: SCHEMA_NAMES, params: {} });
