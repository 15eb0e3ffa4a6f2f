// A deployment being built or started, as its build log's followers see it: its log so far, its
// status, and the watchers that get each new chunk and status change (GET …/deployments/:did/logs)
// until the end event of its final state.
import { FINAL_DEPLOYMENT_STATUSES, type DeployLogEvent, type DeploymentStatus } from '../contracts';
import type { CappedLog } from './capped-log';
import { statusOf } from './deploy-dto';

export interface InFlight {
  deploymentId: string;
  controller: AbortController;
  log: CappedLog;
  status: DeploymentStatus;
  /** Who follows this deployment's build log live. */
  watchers: Set<(event: DeployLogEvent) => void>;
  done: Promise<void>;
}

export function emit(flight: InFlight, event: DeployLogEvent): void {
  for (const watcher of flight.watchers) watcher(event);
}

/**
 * Sends a deployment's build log as events: what exists, then (while `flight`, its build under
 * way here, goes on) new output and status changes live, until `end` or the signal aborts.
 */
export async function followBuild(
  flight: InFlight | undefined,
  row: { status: string; buildLog: string },
  send: (event: DeployLogEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  if (!flight || FINAL_DEPLOYMENT_STATUSES.includes(flight.status)) {
    // Nothing under way for it here: what is stored (or just ended) is all there will be.
    const status = flight ? flight.status : statusOf(row.status);
    const text = flight ? flight.log.toString() : row.buildLog;
    if (text) send({ event: 'log', data: { text } });
    send({ event: 'status', data: { status } });
    send({ event: 'end', data: { status } });
    return;
  }
  // No await from here to the subscription: every chunk is sent once, in order.
  const text = flight.log.toString();
  if (text) send({ event: 'log', data: { text } });
  send({ event: 'status', data: { status: flight.status } });
  await new Promise<void>((resolve) => {
    const stop = () => {
      flight.watchers.delete(watcher);
      signal.removeEventListener('abort', stop);
      resolve();
    };
    const watcher = (event: DeployLogEvent) => {
      send(event);
      if (event.event === 'end') stop();
    };
    flight.watchers.add(watcher);
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
  });
}
