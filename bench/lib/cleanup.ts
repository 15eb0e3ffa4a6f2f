// Every bench runs inside runBench(): whatever it starts (servers, PostgreSQL, temp
// folders) is registered with `defer`, and undone in reverse order on success, on error
// and on Ctrl-C / SIGTERM. A second signal while cleaning up is ignored, not fatal.

export type Defer = (label: string, undo: () => Promise<void> | void) => void;

interface Undo {
  label: string;
  undo: () => Promise<void> | void;
}

/** Synchronous last-resort hooks for process 'exit' (e.g. SIGKILL a child's process group). */
const exitHooks = new Set<() => void>();
export function onExitSync(hook: () => void): () => void {
  exitHooks.add(hook);
  return () => exitHooks.delete(hook);
}
process.on('exit', () => {
  for (const hook of exitHooks) {
    try {
      hook();
    } catch {
      // best effort at exit
    }
  }
});

export async function runBench(name: string, main: (defer: Defer) => Promise<void>): Promise<void> {
  const undos: Undo[] = [];
  const defer: Defer = (label, undo) => void undos.push({ label, undo });
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      // Again until nothing is left: after a signal the bench goes on until it exits, and what
      // it registers meanwhile must be undone too.
      while (undos.length > 0) {
        for (const { label, undo } of undos.splice(0).reverse()) {
          try {
            await undo();
          } catch (error) {
            console.error(`[bench:${name}] cleanup "${label}" failed:`, error instanceof Error ? error.message : error);
          }
        }
      }
    })());

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n[bench:${name}] ${signal}: cleaning up…`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let failed = false;
  try {
    await main(defer);
  } catch (error) {
    failed = true;
    console.error(`[bench:${name}] crashed:`, error instanceof Error ? (error.stack ?? error.message) : error);
  } finally {
    await cleanUp();
  }
  // Exit explicitly: keep-alive sockets in fetch's pool must not keep us waiting.
  process.exit(failed ? 1 : 0);
}
