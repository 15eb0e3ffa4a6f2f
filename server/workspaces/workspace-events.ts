// What WorkspaceService announces: status changes for the socket layer, and agent and memory
// events other features follow (file watching, terminals).
import type { WorkspaceStatusDto } from '../contracts';
import type { AgentConnection } from './agent-connection';

export interface WorkspaceEvents {
  onDidChangeStatus: WorkspaceStatusDto;
  /** A (re)connected agent: subscribe to its events (file changes) here. */
  onDidConnectAgent: { projectId: string; agent: AgentConnection };
  /**
   * The agent of a workspace that kept running came back after its connection dropped (the
   * Docker engine restarted: every stream through it ended): terminals attach again here.
   */
  onDidReconnectAgent: { projectId: string };
  /** A process in a running workspace was killed for memory (its terminals are told). */
  onDidRunOutOfMemory: { projectId: string; memoryLimitMb: number | null };
}
