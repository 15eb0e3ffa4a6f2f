// The engine's event stream, narrowed to Berth's workspace containers and mapped to
// RuntimeEvents. Reconnects with backoff when the stream ends (engine restarted), resuming
// from the last event seen so nothing in between is lost or reported twice.
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { Logger } from '../../core/logger';
import type { RuntimeEvent } from '../runtime-driver';
import { DEPLOYMENT_LABEL } from './deployment-names';
import { MANAGED_FILTER, PROJECT_LABEL } from './names';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;
// A die this soon after an oom event of the same start was the out-of-memory kill itself. Later
// exits are not: the engine's State.OOMKilled stays set once any process in the container was
// killed for memory (even from an earlier start), and would mislabel them.
const OOM_DIE_WINDOW_NS = 3e9;

interface EngineEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  timeNano?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

export class DockerEventStream {
  private stream: Readable | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;
  // Events before the subscription are not reported; `since` makes a late connection or a
  // reconnect replay what happened meanwhile, and `seen` drops what was already reported.
  // (timeNano exceeds 2^53, so it is only precise to ~256 ns: never the sole identity.)
  private readonly floorNano = Date.now() * 1e6;
  private lastTimeNano = Date.now() * 1e6;
  private readonly seen = new Map<string, number>();
  private disposed = false;
  // oom is mapped after an inspect (for the memory limit); this chain keeps events in order.
  private queue: Promise<void> = Promise.resolve();
  /** The latest oom event (timeNano) of each container since its start. */
  private readonly oomAt = new Map<string, number>();

  constructor(
    private readonly docker: Dockerode,
    private readonly emit: (event: RuntimeEvent) => void,
    private readonly log: Logger,
    private readonly labelFilters: string[] = [MANAGED_FILTER],
  ) {
    void this.connect();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    this.stream?.destroy();
    this.stream = undefined;
  }

  private async connect(): Promise<void> {
    if (this.disposed) return;
    try {
      const stream = (await this.docker.getEvents({
        since: Math.floor(this.lastTimeNano / 1e9),
        filters: { type: ['container'], label: this.labelFilters, event: ['start', 'die', 'oom'] },
      })) as Readable;
      if (this.disposed) {
        stream.destroy();
        return;
      }
      this.stream = stream;
      this.retryMs = FIRST_RETRY_MS;
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        rest += chunk.toString('utf8');
        for (let newline = rest.indexOf('\n'); newline >= 0; newline = rest.indexOf('\n')) {
          const line = rest.slice(0, newline).trim();
          rest = rest.slice(newline + 1);
          if (line) this.handle(line);
        }
      });
      let ended = false;
      const onEnd = () => {
        if (ended) return;
        ended = true;
        if (this.stream === stream) this.stream = undefined;
        this.scheduleReconnect();
      };
      stream.on('end', onEnd);
      stream.on('close', onEnd);
      stream.on('error', onEnd);
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'docker event stream unavailable; retrying');
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.disposed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private handle(line: string): void {
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch {
      return;
    }
    const timeNano = event.timeNano ?? 0;
    const action = event.Action ?? event.status;
    const key = `${event.Actor?.ID ?? event.id}:${action}:${timeNano}`;
    if (timeNano < this.floorNano || this.seen.has(key)) return;
    this.seen.set(key, timeNano);
    this.lastTimeNano = Math.max(this.lastTimeNano, timeNano);
    for (const [old, time] of this.seen) if (time < this.lastTimeNano - 3e9) this.seen.delete(old);
    const projectId = event.Actor?.Attributes?.[PROJECT_LABEL];
    const containerId = event.Actor?.ID ?? event.id;
    if (!projectId || !containerId) return;
    // Deployment and build containers carry the project's label too: their exits are not the workspace's.
    if (event.Actor?.Attributes?.[DEPLOYMENT_LABEL]) return;
    this.queue = this.queue
      .then(() => this.map(action, projectId, containerId, event))
      .catch((error: unknown) => {
        this.log.warn({ err: (error as Error).message }, 'docker event not handled');
      });
  }

  private async map(
    action: string | undefined,
    projectId: string,
    containerId: string,
    event: EngineEvent,
  ): Promise<void> {
    const timeNano = event.timeNano ?? 0;
    switch (action) {
      case 'start':
        this.oomAt.delete(containerId);
        this.emit({ type: 'started', projectId });
        return;
      case 'oom':
        // A process in the workspace was killed for memory; the container may well run on.
        this.oomAt.set(containerId, timeNano);
        this.emit({ type: 'oom', projectId, memoryLimitBytes: await this.memoryLimit(containerId) });
        return;
      case 'die': {
        const raw = Number(event.Actor?.Attributes?.exitCode);
        const oomAt = this.oomAt.get(containerId);
        this.oomAt.delete(containerId);
        const oomKilled = oomAt !== undefined && timeNano - oomAt <= OOM_DIE_WINDOW_NS;
        this.emit({ type: 'exited', projectId, exitCode: Number.isFinite(raw) ? raw : null, oomKilled });
        return;
      }
      default:
        return;
    }
  }

  private async memoryLimit(containerId: string): Promise<number | null> {
    try {
      return (await this.docker.getContainer(containerId).inspect()).HostConfig.Memory || null;
    } catch {
      return null;
    }
  }
}
