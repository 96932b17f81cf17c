/**
 * The environment, read and validated once at start-up; nothing else reads process.env.
 */
import { z } from 'zod';

/** A Segment write key and the source of the rules its events become records of. */
export interface SegmentWriteKey {
  readonly writeKey: string;
  readonly source: string;
}

const SOURCE_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * `writeKey:source,...`: each write key (8 characters or more, no comma or colon) names the source
 * its events are recorded under. A key given twice is refused: its events would go to one of two
 * sources by chance.
 */
const segmentWriteKeys = z.string().transform((text, context): readonly SegmentWriteKey[] => {
  const keys: SegmentWriteKey[] = [];
  for (const [position, entry] of text.split(',').entries()) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const colon = trimmed.lastIndexOf(':');
    const writeKey = trimmed.slice(0, colon);
    const source = trimmed.slice(colon + 1);
    const problem =
      colon <= 0 || !SOURCE_NAME.test(source)
        ? 'must be WRITE_KEY:source, the source in lowercase snake_case'
        : writeKey.length < 8 || writeKey.includes(':')
          ? 'a write key has 8 characters or more and no colon'
          : keys.some((known) => known.writeKey === writeKey)
            ? 'this write key is given twice'
            : undefined;
    if (problem) {
      // The entry's position, never the key itself: the message ends up in logs.
      context.addIssue({ code: 'custom', message: `entry ${position + 1}: ${problem}` });
      continue;
    }
    keys.push({ writeKey, source });
  }
  return keys;
});

const envSchema = z.object({
  IDGRAPH_STORE: z
    .string()
    .min(1)
    .default('.idgraph/store')
    .describe('Store: a folder for the embedded store, or a neo4j:// / bolt:// URI.'),
  NEO4J_USER: z.string().min(1).optional().describe('Neo4j user; without it the Neo4j store connects without auth.'),
  NEO4J_PASSWORD: z.string().optional().describe('Neo4j password (with NEO4J_USER).'),
  NEO4J_DATABASE: z.string().min(1).default('neo4j').describe('Neo4j database the store uses.'),
  IDGRAPH_NEO4J_MIGRATE: z
    .enum(['true', 'false'])
    .default('true')
    .describe('Apply graph/migrations when the Neo4j store opens; false where a DBA manages the schema.'),
  IDGRAPH_RULES: z.string().min(1).optional().describe('Rules file used when a command gets no --rules.'),
  IDGRAPH_DESTINATIONS: z
    .string()
    .min(1)
    .optional()
    .describe('Destination settings file (priors, minimums) used when a command gets no --destinations.'),
  IDGRAPH_API_KEYS: z.string().optional().describe('API keys with scopes: key:scope,key2:scope.'),
  IDGRAPH_API_KEYS_FILE: z.string().optional().describe('A file of key:scope lines.'),
  IDGRAPH_SEGMENT_WRITE_KEYS: segmentWriteKeys
    .optional()
    .describe('Segment write keys and the sources their events go to: writeKey:source,writeKey2:source2.'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  IDGRAPH_RATE_LIMIT: z.coerce.number().int().positive().optional().describe('API requests per minute per key.'),
  IDGRAPH_READ_CACHE_ENTRIES: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Answers the API read cache keeps (lookups, profiles, records; default 50000); 0 turns it off.'),
  IDGRAPH_READ_CACHE_POLL_MS: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe("How often, at most, the API looks at the commit counter for other instances' writes (default 100)."),
  IDGRAPH_CONSISTENCY_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('How long a read waits for the commit of its Idgraph-Consistency header before a 503 (default 5000).'),
  IDGRAPH_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent'])
    .default('info')
    .describe('The API service log on standard output: info writes a line a request, warn only problems.'),
  HOST: z.string().optional(),
  NO_COLOR: z.string().optional(),
  USER: z.string().optional().describe('Recorded as the actor of manual decisions made from the CLI.'),
});

export type Env = Readonly<z.infer<typeof envSchema>>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid environment: ${problems}`);
  }
  return Object.freeze(parsed.data);
}
