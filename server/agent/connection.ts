// Connections from Berth's server: parses each request, answers it, and never lets a bad
// message take the agent down. Also pushes events (fs.changed) to every open connection.
import type { WebSocket } from 'ws';
import { agentRequestSchema, type AgentEvent, type AgentEvents, type AgentResponse } from '../contracts/agent';
import type { RpcHandler } from './rpc-handlers';

export function serveConnection(socket: WebSocket, handlers: Record<string, RpcHandler>): void {
  const send = (message: AgentResponse) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  socket.on('message', (raw) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString());
    } catch {
      return; // not JSON: nothing to answer to
    }
    const request = agentRequestSchema.safeParse(parsed);
    if (!request.success) return;
    const { id, method, params } = request.data;
    const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    if (!handler) {
      send({ id, error: { code: 'unknown_method', message: `No method ${method}` } });
      return;
    }
    Promise.resolve()
      .then(() => handler(params))
      .then(
        (result) => send({ id, result }),
        (error: unknown) =>
          send({
            id,
            error: {
              code: (error as { code?: string }).code ?? 'failed',
              message: error instanceof Error ? error.message : String(error),
            },
          }),
      );
  });
}

/** Every open connection, for broadcasting events. */
export class ConnectionHub {
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly handlers: Record<string, RpcHandler>) {}

  serve(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => this.sockets.delete(socket));
    serveConnection(socket, this.handlers);
  }

  broadcast<E extends keyof AgentEvents>(event: E, data: AgentEvents[E]): void {
    if (this.sockets.size === 0) return;
    const message: AgentEvent = { event, data };
    const text = JSON.stringify(message);
    for (const socket of this.sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  }

  get size(): number {
    return this.sockets.size;
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
  }
}
