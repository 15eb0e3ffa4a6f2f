// Test-only: talks to a real agent the way the server does — JSON RPC over its WebSocket and
// file content over HTTP. Used by the agent's *.int.test.ts. Imports nothing of the server.
import WebSocket from 'ws';
import type { FileChange } from '../contracts/files';

/** Where an agent answers (the runtime's AgentEndpoint has this shape). */
export interface AgentEndpoint {
  url: string;
  secret: string;
}

export interface AgentRpcClient {
  call<T>(method: string, params?: unknown): Promise<T>;
  /** Every fs.changed event pushed so far. */
  changes: FileChange[];
  close(): void;
}

export async function connectRpc(endpoint: AgentEndpoint): Promise<AgentRpcClient> {
  const socket = new WebSocket(`${endpoint.url.replace(/^http/, 'ws')}/connect`, {
    headers: { Authorization: `Bearer ${endpoint.secret}` },
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  const changes: FileChange[] = [];
  let nextId = 1;
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as {
      id?: number;
      result?: unknown;
      error?: { code: string; message: string };
      event?: string;
      data?: unknown;
    };
    if (message.event === 'fs.changed') changes.push(...(message.data as FileChange[]));
    const pending = message.id === undefined ? undefined : waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id!);
    if (message.error) pending.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
    else pending.resolve(message.result);
  });
  return {
    changes,
    call: <T>(method: string, params?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

export function contentClient(agent: () => AgentEndpoint) {
  const url = (file: string, extra = '') => `${agent().url}/fs/content?path=${encodeURIComponent(file)}${extra}`;
  const auth = () => ({ Authorization: `Bearer ${agent().secret}` });
  return {
    put: (file: string, body: BodyInit, headers: Record<string, string> = {}, maxBytes = 1 << 20) =>
      fetch(url(file, `&maxBytes=${maxBytes}`), { method: 'PUT', body, headers: { ...auth(), ...headers } }),
    get: (file: string) => fetch(url(file), { headers: auth() }),
  };
}
