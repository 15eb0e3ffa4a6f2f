// The server's one long-lived connection to a workspace agent: a WebSocket carrying JSON
// requests and responses (server/contracts/agent.ts). Requests time out; a dropped socket
// fails every pending request at once.
import WebSocket from 'ws';
import { agentInboundSchema, type AgentMethods } from '../contracts';
import type { AgentEndpoint } from '../runtime';
import { TypedEmitter } from '../core/typed-emitter';

const DEFAULT_TIMEOUT_MS = 10_000;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class AgentRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class AgentConnection {
  readonly events = new TypedEmitter<{
    onDidClose: { reason: string };
    onDidEvent: { event: string; data: unknown };
  }>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => this.onMessage(raw.toString()));
    socket.on('close', () => this.onClose('connection closed'));
    socket.on('error', () => this.onClose('connection error'));
  }

  static connect(endpoint: AgentEndpoint, timeoutMs = 5000): Promise<AgentConnection> {
    return new Promise((resolve, reject) => {
      const url = endpoint.url.replace(/^http/, 'ws') + '/connect';
      const socket = new WebSocket(url, {
        headers: { Authorization: `Bearer ${endpoint.secret}` },
        handshakeTimeout: timeoutMs,
      });
      socket.once('open', () => resolve(new AgentConnection(socket)));
      socket.once('error', (error) => reject(error));
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`agent refused the connection (${res.statusCode})`)),
      );
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  request<M extends keyof AgentMethods>(
    method: M,
    params?: AgentMethods[M]['params'],
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<AgentMethods[M]['result']> {
    if (this.closed)
      return Promise.reject(new AgentRequestError('agent_disconnected', 'The workspace agent is not connected'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new AgentRequestError('agent_timeout', `The workspace agent did not answer ${method} in ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.terminate();
    this.onClose('closed by server');
  }

  private onMessage(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const message = agentInboundSchema.safeParse(parsed);
    if (!message.success) return;
    const data = message.data;
    if ('event' in data) {
      this.events.emit('onDidEvent', { event: data.event, data: data.data });
      return;
    }
    const pending = this.pending.get(data.id);
    if (!pending) return;
    this.pending.delete(data.id);
    clearTimeout(pending.timer);
    if ('error' in data) pending.reject(new AgentRequestError(data.error.code, data.error.message));
    else pending.resolve(data.result);
  }

  private onClose(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new AgentRequestError('agent_disconnected', 'The workspace agent disconnected'));
    }
    this.pending.clear();
    this.events.emit('onDidClose', { reason });
  }
}
