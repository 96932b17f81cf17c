/** Where CLI commands write. Injected so tests capture output without touching the console. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * A failure the user can act on: printed without a stack trace, with its exit code. A command that
 * has already printed its own report (e.g. every problem of a rules file) throws one with an empty message.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
