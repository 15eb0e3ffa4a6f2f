// A graceful close waits for requests in flight, not for upgraded connections: neither a
// WebSocket peer that never answers the close handshake (ws would give it 30 s; `docker stop`
// kills after 10) nor a preview's HMR socket (which the preview router answers before any
// 'upgrade' listener runs) holds it up. Berth's close ends both.
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PreviewDto, ProjectDto } from '../contracts';
import { rawUpgrade } from '../preview/test-helpers';
import type { ExecSession } from '../runtime';
import { waitUntil } from '../runtime/runtime-test-helpers';
import { call, createSignedInUser, startTestServer, type TestServer } from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

// An app in the workspace whose WebSocket-like upgrade stays open until the other side goes.
const APP = [
  "const s=require('http').createServer((q,r)=>r.end('ok'));",
  "s.on('upgrade',(q,sock)=>{sock.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n');sock.on('error',()=>{})});",
  "s.listen(5173,'127.0.0.1')",
].join('');

let berth: TestServer;
let tab: TestSocket | undefined;
let app: ExecSession | undefined;
const clients: Duplex[] = [];

beforeAll(async () => {
  berth = await startTestServer();
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  app?.close();
  tab?.close();
  await berth?.stop();
});

/** Opens Socket.IO's WebSocket by hand and then goes silent: it reads, but never answers. */
async function silentWebSocket(baseUrl: string): Promise<Socket> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    [
      'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
      `Host: ${hostname}:${port}`,
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      '',
      '',
    ].join('\r\n'),
  );
  const head = await new Promise<string>((resolve) =>
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))),
  );
  expect(head).toMatch(/^HTTP\/1\.1 101/);
  return socket;
}

/** An upgraded connection to an app in a workspace, through its preview host. */
async function previewSocket(): Promise<Duplex> {
  const alice = await createSignedInUser(berth.baseUrl);
  const project = (await (
    await call(
      berth.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Shutdown', template: 'blank-node' },
    )
  ).json()) as ProjectDto;
  tab = await connectAs(berth, alice);
  await openRunningWorkspace(tab, project.id);
  app = await berth.server.runtime.exec(project.id, ['node', '-e', APP], { tty: false });
  let preview: PreviewDto | undefined;
  await waitUntil(async () => {
    const listed = (await (
      await call(berth.baseUrl, 'GET', `/api/v1/projects/${project.id}/previews`, { cookie: alice.cookie })
    ).json()) as PreviewDto[];
    preview = listed.find((entry) => entry.port === 5173);
    return preview !== undefined;
  }, 30_000);
  const upgraded = await rawUpgrade(berth.baseUrl, '/hmr', { Host: new URL(preview!.url).host });
  if (!('socket' in upgraded)) throw new Error(`not upgraded: ${upgraded.status} ${upgraded.body}`);
  return upgraded.socket;
}

it('closes without waiting for upgraded connections: a silent WebSocket peer, a preview HMR socket', async () => {
  clients.push(await silentWebSocket(berth.baseUrl), await previewSocket());
  const ended = clients.map((client) => new Promise<void>((resolve) => client.once('close', () => resolve())));

  const started = performance.now();
  await berth.server.close({ graceful: true });
  const tookMs = performance.now() - started;

  await Promise.all(ended); // the server let go of both
  // The snapshot of the running workspace comes first (well under a second here); ws alone
  // would hold the close for 30 s, an unended preview socket for the drain's 5 s.
  expect(tookMs).toBeLessThan(4_000);
}, 120_000);
