/**
 * Where a run lists its rejected rows: a file of its own beside the store (`<store>/rejects/`, or
 * `.idgraph/rejects/` when the graph is in Neo4j), named by the time and what was read, so no run
 * overwrites another's; or the path `--rejects` gives (a folder there gets the same kind of name).
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RejectFile } from '../ingest/reject-file.js';
import { isNeo4jSpec } from '../store/open-store.js';

export async function rejectFileFor(options: {
  /** --rejects, when given. */
  readonly explicit?: string | undefined;
  readonly storeSpec: string;
  /** What was read: a source name, `load`, `audience-<id>`. */
  readonly label: string;
  readonly now?: number;
}): Promise<RejectFile> {
  const name = `rejects-${new Date(options.now ?? Date.now()).toISOString().replace(/[:.]/g, '-')}-${options.label}.ndjson`;
  if (options.explicit !== undefined) {
    const isFolder =
      /[\\/]$/.test(options.explicit) ||
      (await stat(options.explicit).then(
        (found) => found.isDirectory(),
        () => false,
      ));
    return isFolder ? new RejectFile(join(options.explicit, name), 'wx') : new RejectFile(options.explicit, 'w');
  }
  const folder = isNeo4jSpec(options.storeSpec)
    ? resolve('.idgraph/rejects')
    : join(resolve(options.storeSpec), 'rejects');
  return new RejectFile(join(folder, name), 'wx');
}
