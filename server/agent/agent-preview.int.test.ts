// Port discovery and the preview tunnel in a real workspace container: a dev server bound only
// to 127.0.0.1 inside shows up in ports.changed / ports.list, answers through a tunnel opened on
// the agent's published port, and after it dies the agent refuses the tunnel (port_closed) and
// ports.changed drops it.
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ensureWorkspaceImage } from '../../scripts/workspace-image.mjs';
import type { ListeningPort } from '../contracts/preview';
import { openTunnel, TunnelError } from '../preview/agent-tunnel';
import type { AgentEndpoint, ExecSession } from '../runtime/runtime-driver';
import { makeTestDriver } from '../runtime/docker/docker-test-support';
import { collect, run } from '../runtime/runtime-test-helpers';

const projectId = `test-preview-${randomBytes(5).toString('hex')}`;
const DEV_PORT = 5173;
let testDriver: Awaited<ReturnType<typeof makeTestDriver>>;
let agent: AgentEndpoint;
let socket: WebSocket;
let devServer: ExecSession | undefined;
const portEvents: { at: number; ports: ListeningPort[] }[] = [];
const waiting = new Map<number, (message: { result?: unknown; error?: { code: string; message: string } }) => void>();
let nextId = 1;

function call<T>(method: string, params?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, (message) =>
      message.error
        ? reject(Object.assign(new Error(message.error.message), message.error))
        : resolve(message.result as T),
    );
    socket.send(JSON.stringify({ id, method, params }));
  });
}

async function waitForPorts(
  since: number,
  predicate: (ports: ListeningPort[]) => boolean,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = portEvents.find((event) => event.at >= since && predicate(event.ports));
    if (found) return found.at - since;
    if (Date.now() > deadline)
      throw new Error(`no matching ports.changed within ${timeoutMs} ms; got ${JSON.stringify(portEvents)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** GET `path` on a fresh tunnel to `port`: status and body. */
async function preview(path: string, port = DEV_PORT): Promise<{ status: number; body: string }> {
  const socket = await openTunnel(agent, port);
  return new Promise((resolve, reject) => {
    const req = request(
      { path, headers: { host: 'app.test' }, createConnection: () => socket },
      (res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const image = await ensureWorkspaceImage({ quiet: true });
  testDriver = await makeTestDriver({ image });
  agent = (await testDriver.driver.ensureRunning({ projectId })).agent!;
  socket = new WebSocket(`${agent.url.replace(/^http/, 'ws')}/connect`, {
    headers: { Authorization: `Bearer ${agent.secret}` },
  });
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as {
      id?: number;
      event?: string;
      data?: unknown;
      result?: unknown;
      error?: { code: string; message: string };
    };
    if (message.event === 'ports.changed') portEvents.push({ at: Date.now(), ports: message.data as ListeningPort[] });
    if (message.id !== undefined) {
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    }
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
});

afterAll(async () => {
  devServer?.close();
  socket?.close();
  await testDriver?.driver.remove(projectId);
  await testDriver?.cleanup();
});

describe('ports and preview in a real workspace', () => {
  it('discovers a localhost-only dev server, proxies to it, and notices when it dies', async () => {
    // The agent's own port never appears.
    const initial = await call<ListeningPort[]>('ports.list');
    expect(initial.some((item) => item.port === 7777)).toBe(false);
    expect(initial.some((item) => item.port === DEV_PORT)).toBe(false);

    const startedAt = Date.now();
    devServer = await testDriver.driver.exec(
      projectId,
      [
        'sh',
        '-c',
        `echo pid=$$; exec node -e "require('http').createServer((q,s)=>s.end('hello from '+q.url)).listen(${DEV_PORT},'127.0.0.1',()=>console.log('listening'))"`,
      ],
      { tty: false },
    );
    const output = collect(devServer);
    await output.waitFor(/listening/);
    const pid = /pid=(\d+)/.exec(output.text())![1]!;
    await waitForPorts(
      startedAt,
      (ports) => ports.some((item) => item.port === DEV_PORT && item.address === '127.0.0.1'),
      2000,
    );
    expect(await call<ListeningPort[]>('ports.list')).toContainEqual({ port: DEV_PORT, address: '127.0.0.1' });

    expect(await preview('/x?y=1')).toEqual({ status: 200, body: 'hello from /x?y=1' });

    // The proxy's overhead against a direct GET is a figure of bench/preview-proxy.bench.ts.

    const killedAt = Date.now();
    expect((await run(testDriver.driver, projectId, ['kill', pid])).code).toBe(0);
    await waitForPorts(killedAt, (ports) => !ports.some((item) => item.port === DEV_PORT), 2000);
    const closed = await preview('/x?y=1').catch((error: unknown) => error);
    expect(closed).toBeInstanceOf(TunnelError);
    expect(closed).toMatchObject({ code: 'port_closed' });
    expect(await call<ListeningPort[]>('ports.list')).not.toContainEqual(expect.objectContaining({ port: DEV_PORT }));
  });

  it("refuses a tunnel to the agent's own port, or with a wrong secret", async () => {
    await expect(preview('/health', 7777)).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringContaining('(400)'),
    });
    await expect(
      openTunnel({ url: agent.url, secret: 'wrong-secret-0123456789abcdef' }, DEV_PORT),
    ).rejects.toMatchObject({
      message: expect.stringContaining('(401)'),
    });
  });
});
