// An environment's running app's output (GET …/environments/:env/logs): the serving container's
// last lines, then live until the client goes (its signal) or the container stops. Each follow
// holds one Docker log stream; `following` counts them so a test can see none is left behind.
import { DomainError } from '../core/errors';
import type { DeployEngine } from './deploy-engine';
import type { DeployEnvironments } from './deploy-environments';

export class RuntimeLogs {
  private open = 0;

  constructor(
    private readonly environments: DeployEnvironments,
    private readonly engine: DeployEngine,
  ) {}

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
