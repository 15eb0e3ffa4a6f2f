// The `berth` command line's entry (scripts/berth.mjs runs it; scripts/cli-bundle.mjs bundles it
// into one file, served at GET /cli). Pure Node: it imports the contracts, the sync core and the
// workspace agent's scanner pieces — never prisma, the database or Berth's services.
// Ctrl-C aborts the command's signal (watch and login stop cleanly); a second one exits at once.
import { z } from 'zod';
import { runCli } from './cli';
import { processIo } from './cli-io';

// A command parses each schema once or twice: compiling every schema into a function (zod's
// default) costs a run more than it saves (a no-op sync: about 5 ms).
z.config({ jitless: true });

const controller = new AbortController();
const stop = () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

runCli(process.argv.slice(2), processIo(), controller.signal).then(
  (code) => {
    process.exitCode = code;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
