/**
 * A reader that stops early (`idgraph export profiles | head`) closes the pipe. Like other Unix
 * tools, the command then ends quietly with its exit code so far, instead of crashing on EPIPE.
 */
export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      throw error;
    });
  }
}
