// present(): which of the paths a sync asks about stand in the project's volume all the same,
// though its state leaves them out (ignored, too large for a snapshot, unreadable, a folder).
// Asked of the workspace's agent with fs.stat, a few at a time. Only "not found" is absence:
// any other refusal (unreadable, a path the agent will not resolve) counts as present, so a sync
// holds the path rather than write over or delete something it could not see.
import type { AgentMethods } from '../../contracts';
import { DomainError } from '../../core/errors';

export interface PresenceAgent {
  request(method: 'fs.stat', params: AgentMethods['fs.stat']['params']): Promise<AgentMethods['fs.stat']['result']>;
}

export interface PresenceWorkspaces {
  agent(projectId: string): PresenceAgent | undefined;
  ensureRunning(projectId: string): Promise<unknown>;
}

/** fs.stat calls in flight at once. */
const STAT_CONCURRENCY = 16;

export class DiskPresence {
  constructor(private readonly workspaces: PresenceWorkspaces) {}

  /** Of `paths`, those that exist in the volume (in the order asked, each once). */
  async present(projectId: string, paths: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(paths)];
    if (wanted.length === 0) return [];
    await this.workspaces.ensureRunning(projectId);
    const agent = this.workspaces.agent(projectId);
    if (!agent)
      throw new DomainError('conflict', 'workspace_not_running', 'The workspace stopped; start it and sync again');
    const found = new Array<boolean>(wanted.length).fill(false);
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) {
        const index = next++;
        found[index] = await agent.request('fs.stat', { path: wanted[index]! }).then(
          () => true,
          (error: unknown) => (error as { code?: string }).code !== 'not_found',
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, wanted.length) }, worker));
    return wanted.filter((_, index) => found[index]);
  }
}
