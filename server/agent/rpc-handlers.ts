// The methods the agent answers over its connection; the fs.* ones live in fs-handlers.ts.
import { AGENT_PROTOCOL_VERSION, type AgentHealth } from '../contracts/agent';

const startedAt = Date.now();

export function health(): AgentHealth {
  return {
    status: 'ok',
    protocol: AGENT_PROTOCOL_VERSION,
    uptimeMs: Date.now() - startedAt,
    pid: process.pid,
    node: process.version,
  };
}

export type RpcHandler = (params: unknown) => Promise<unknown> | unknown;

export const rpcHandlers: Record<string, RpcHandler> = {
  health: () => health(),
  ping: (params) => {
    const sentAt =
      typeof (params as { sentAt?: unknown } | undefined)?.sentAt === 'number'
        ? (params as { sentAt: number }).sentAt
        : 0;
    return { sentAt, agentTime: Date.now() };
  },
};
