/** Runs the CLI from source in a child process (tests spawn it with `node --import tsx`). */
import { endQuietlyOnClosedPipe } from '../../src/cli/closed-pipe.js';
import { main } from '../../src/cli/main.js';

endQuietlyOnClosedPipe();

process.exitCode = await main(process.argv);
