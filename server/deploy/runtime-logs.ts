// An environment's running app's output (GET …/environments/:env/logs): the serving container's
// last lines, then live until the client goes (its signal) or the container stops. Each follow
// holds one Docker log stream; `following` counts them so a test can see none is left behind.
// A user holds RUNTIME_LOG_STREAMS_PER_USER of them at most (429 too_many_log_streams past it).
import { DomainError } from '../core/errors';
import type { DeployEngine } from './deploy-engine';
import type { DeployEnvironments } from './deploy-environments';

/** Runtime-log streams one user may have open at once (each holds a Docker log stream). */
export const RUNTIME_LOG_STREAMS_PER_USER = 10;

export class RuntimeLogs {
  private open = 0;
  private readonly admitted = new Map<string, number>();

  constructor(
    private readonly environments: DeployEnvironments,
    private readonly engine: DeployEngine,
    private readonly maxPerUser = RUNTIME_LOG_STREAMS_PER_USER,
  ) {}

  /** Holds one of the user's streams (429 past the cap); the returned release gives it back once. */
  admit(userId: string): () => void {
    const held = this.admitted.get(userId) ?? 0;
    if (held >= this.maxPerUser)
      throw new DomainError(
        'rate_limited',
        'too_many_log_streams',
        `At most ${this.maxPerUser} runtime logs can be followed at once; close one`,
      );
    this.admitted.set(userId, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.admitted.get(userId) ?? 1) - 1;
      if (left > 0) this.admitted.set(userId, left);
      else this.admitted.delete(userId);
    };
  }

  /** The serving container's deployment (owner-checked); 404 not_running when nothing runs. */
  async source(userId: string, projectId: string, name: string): Promise<string> {
    const env = await this.environments.get(userId, projectId, name);
    const container = await this.engine.current(this.environments.ref(env));
    if (!container || (container.state !== 'running' && container.state !== 'restarting'))
      throw new DomainError('not_found', 'not_running', `Nothing runs in ${name}`);
    return container.deploymentId;
  }

  /** Resolves when the container stops or `signal` aborts; the Docker stream is closed then. */
  async follow(deploymentId: string, tail: number, onText: (text: string) => void, signal: AbortSignal) {
    this.open += 1;
    try {
      await this.engine.followLogs(deploymentId, onText, { tail, signal });
    } finally {
      this.open -= 1;
    }
  }

  /** Docker log streams open now. */
  get following(): number {
    return this.open;
  }
}
