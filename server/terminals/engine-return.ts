// A terminal's attach stream ended with no exit code: was it the Docker engine going away (a
// dockerd restart — with live-restore the shell lives on in tmux) or something else (another
// client took the session over, the workspace stopped)? If the engine does not answer right
// then, wait for it to answer again, so the terminal can be attached again.
import type { RuntimeDriver } from '../runtime';

export type EngineOutcome = 'up' | 'back' | 'gave-up';

/** 'up': the engine answered at once (not an engine restart); 'back': it answered after not answering. */
export async function waitForEngineReturn(
  driver: RuntimeDriver,
  { intervalMs = 500, maxMs = 120_000 } = {},
): Promise<EngineOutcome> {
  const answers = () =>
    driver.ping().then(
      () => true,
      () => false,
    );
  if (await answers()) return 'up';
  for (const deadline = Date.now() + maxMs; Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs).unref());
    if (await answers()) return 'back';
  }
  return 'gave-up';
}
