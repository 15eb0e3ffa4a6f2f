// The wire contract between Berth's server and the workspace agent inside each container:
// one WebSocket at /connect carrying JSON requests, responses and events.
import { z } from 'zod';

export const AGENT_PORT = 7777;
export const AGENT_PROTOCOL_VERSION = 1;

export const agentRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(64),
  params: z.unknown().optional(),
});
export type AgentRequest = z.infer<typeof agentRequestSchema>;

export const agentResponseSchema = z.union([
  z.object({ id: z.number().int(), result: z.unknown() }),
  z.object({ id: z.number().int(), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type AgentResponse = z.infer<typeof agentResponseSchema>;

export const agentEventSchema = z.object({ event: z.string(), data: z.unknown() });
export type AgentEvent = z.infer<typeof agentEventSchema>;

export const agentInboundSchema = z.union([agentResponseSchema, agentEventSchema]);

export interface AgentHealth {
  status: 'ok';
  protocol: number;
  uptimeMs: number;
  pid: number;
  node: string;
}

/** Methods the agent answers, with their params and results. */
export interface AgentMethods {
  ping: { params: { sentAt: number }; result: { sentAt: number; agentTime: number } };
  health: { params: undefined; result: AgentHealth };
}
