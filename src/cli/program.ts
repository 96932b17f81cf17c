import { Command, CommanderError } from 'commander';
import { EngineError } from '../engine/engine-error.js';
import { InputError } from '../ingest/input.js';
import { QueryError, type QueryErrorCode } from '../queries/query-error.js';
import { VERSION } from '../runtime/version.js';
import { StoreError } from '../store/store-error.js';
import { registerAudienceCommands } from './commands/audience.js';
import { registerDecisionCommands } from './commands/decide.js';
import { registerEraseCommand } from './commands/erase.js';
import { registerExportCommands } from './commands/export.js';
import { registerGraphCommands } from './commands/graph.js';
import { registerIngestCommand } from './commands/ingest.js';
import { registerInspectCommands } from './commands/inspect.js';
import { registerLoadCommand } from './commands/load.js';
import { registerNormalizeCommand } from './commands/normalize.js';
import { registerQuickstartCommand } from './commands/quickstart.js';
import { registerReviewCommands } from './commands/review.js';
import { registerRulesCommands } from './commands/rules.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSynthCommand } from './commands/synth.js';
import { CliError, type CliIo } from './io.js';

/** Exit codes of a query without an answer: an unknown identifier type is a usage error. */
const QUERY_EXIT: Record<QueryErrorCode, number> = { NOT_FOUND: 1, UNUSABLE_VALUE: 1, UNKNOWN_TYPE: 2 };
const PATH_ERRORS = new Set(['STORE_NOT_FOUND', 'STORE_PATH_UNUSABLE']);

/** Builds the `idgraph` command tree. Each command file registers itself; this file only assembles. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('idgraph')
    .description('Identity resolution and identity graph engine')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  registerRulesCommands(program, io);
  registerNormalizeCommand(program, io);
  registerIngestCommand(program, io, () => process.stderr.isTTY === true);
  registerLoadCommand(program, io, () => process.stderr.isTTY === true);
  registerExportCommands(program, io);
  registerInspectCommands(program, io);
  registerDecisionCommands(program, io);
  registerReviewCommands(program, io);
  registerEraseCommand(program, io);
  registerAudienceCommands(program, io, () => process.stderr.isTTY === true);
  registerSynthCommand(program, io);
  registerQuickstartCommand(program, io);
  registerServeCommand(program, io);
  registerGraphCommands(program, io);
  return program;
}

/** Runs the CLI and returns the exit code instead of exiting, so tests can call it in-process. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      if (error.message) io.err(`idgraph: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof QueryError) {
      io.err(`idgraph: ${error.message}\n`);
      return QUERY_EXIT[error.code];
    }
    if (error instanceof InputError) {
      // A file that cannot be read on (a CSV header that does not parse, a gzip file cut short):
      // what came before it is committed, what follows is not read.
      io.err(`idgraph: ${error.message} [${error.code}]\n`);
      return 2;
    }
    if (error instanceof EngineError || error instanceof StoreError) {
      io.err(`idgraph: ${error.message} [${error.code}]\n`);
      // A --store that names no store, or none that can be used, is a usage error like a missing file.
      return PATH_ERRORS.has(error.code) ? 2 : 1;
    }
    const failure = error as NodeJS.ErrnoException;
    if (failure?.code && failure.path) {
      io.err(`idgraph: cannot access ${failure.path} (${failure.code})\n`);
      return 2;
    }
    // A bug, not a user error: say so plainly, with the stack for the report.
    io.err(`idgraph: internal error, please report it: ${failure?.stack ?? String(error)}\n`);
    return 70;
  }
}
