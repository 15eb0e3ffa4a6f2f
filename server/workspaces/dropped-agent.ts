// What to do when a workspace's agent connection drops: ask the engine whether the container
// still runs; if so, reconnect; if it ended, let the engine's exited event say how (made up for
// after a few seconds if missed). While the engine does not answer (a dockerd restart), keep
// asking: with live-restore the container runs on and its agent answers again afterwards.
import type { RuntimeDriver } from '../runtime';

const FIRST_LOOK_MS = 250;
const MAX_INTERVAL_MS = 1000;
const MISSED_EXIT_MS = 5000;

export interface DroppedAgentHandlers {
  /** Still the connection of a running workspace (nobody stopped or replaced it meanwhile). */
  isCurrent(): boolean;
  reconnect(): void;
  /** The container ended and no exited event came. */
  markExited(): void;
}

export function followDroppedAgent(
  driver: RuntimeDriver,
  projectId: string,
  handlers: DroppedAgentHandlers,
  delayMs = FIRST_LOOK_MS,
): void {
  setTimeout(() => {
    if (!handlers.isCurrent()) return;
    void driver.inspect(projectId).then(
      (found) => {
        if (!handlers.isCurrent()) return;
        if (found.state === 'running') handlers.reconnect();
        else setTimeout(() => handlers.isCurrent() && handlers.markExited(), MISSED_EXIT_MS).unref();
      },
      () => followDroppedAgent(driver, projectId, handlers, Math.min(delayMs * 2, MAX_INTERVAL_MS)),
    );
  }, delayMs).unref();
}
