// The splice of a public deployment's connection (deployment-splice.ts) between real loopback
// sockets: a local TCP server stands in for the container; the deployment's target is a local
// lookup. Docker's side (restarts, new ports, private) is deploy-hosting.int.test.ts.
import net, { type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeploymentHosts, type DeploymentLookup } from './deployment-hosts';
import { spliceToDeployment } from './deployment-splice';
import { notFoundPage, unreachablePage } from './preview-pages';
import { countNothing } from './preview-proxy';

const LABEL = 'd-proj1-production';
const HOST = `${LABEL}.localhost:4321`;
const closers: (() => void)[] = [];

afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

/** A deployment at `appPort` (null: nothing live) and Berth's side: each connection's first head is spliced. */
async function berthFor(appPort: () => number | null): Promise<number> {
  const lookup: DeploymentLookup = {
    target: async (label) => {
      const port = appPort();
      return label === LABEL && port !== null
        ? { endpoint: { url: `http://127.0.0.1:${port}` }, private: false, ownerId: 'owner' }
        : null;
    },
    access: { redeem: async () => null, userOf: async () => null, setCookie: () => '' },
  };
  const hosts = new DeploymentHosts(lookup, 'localhost:4321');
  const berth = net.createServer((client) => {
    // As DeploymentHosts.takeOver: the target read for the connection, then the splice.
    client.once(
      'data',
      (head: Buffer) =>
        void hosts.resolve(client, LABEL).then(() =>
          spliceToDeployment(client, head, {
            hosts,
            label: LABEL,
            ideOrigin: 'http://localhost:4321',
            count: countNothing,
            notFound: notFoundPage,
            unreachable: unreachablePage(),
          }),
        ),
    );
  });
  return listen(berth);
}

/** Connects, sends `text`, resolves with everything received until the connection closes. */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
  });
}

describe('spliced deployment connection', () => {
  it('sends the first head without Berth cookies or credentials, then pipes both ways; closing the client closes the app side', async () => {
    const appSides: Socket[] = [];
    let seen = '';
    let appClosed: Promise<void> | undefined;
    const app = net.createServer((socket) => {
      appSides.push(socket);
      appClosed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('data', (chunk: Buffer) => {
        seen += chunk.toString('latin1');
        socket.write('pong');
      });
    });
    const appPort = await listen(app);
    const berthPort = await berthFor(() => appPort);
    const client = net.connect(berthPort, '127.0.0.1');
    const firstAnswer = new Promise<string>((resolve) =>
      client.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    client.write(
      `GET / HTTP/1.1\r\nHost: ${HOST}\r\nAuthorization: Basic eDp5\r\nCookie: __berth_deploy_access=abc; theme=dark\r\n\r\n`,
    );
    expect(await firstAnswer).toBe('pong');
    expect(seen).toBe(`GET / HTTP/1.1\r\nHost: ${HOST}\r\nCookie: theme=dark\r\n\r\n`);
    const second = new Promise<string>((resolve) => client.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    // Not HTTP at all: later bytes are the app's to read, as they come.
    client.write('raw bytes');
    expect(await second).toBe('pong');
    expect(seen.endsWith('raw bytes')).toBe(true);
    expect(appSides).toHaveLength(1);
    client.destroy();
    await appClosed;
    expect(appSides[0]!.destroyed).toBe(true);
  });

  it('answers the 502 page when the app hangs up before any answer byte', async () => {
    const app = net.createServer((socket) => socket.destroy());
    const appPort = await listen(app);
    const berthPort = await berthFor(() => appPort);
    const answer = await exchange(berthPort, `GET / HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
    expect(answer.startsWith('HTTP/1.1 502 ')).toBe(true);
  });

  it('answers 404 when the connect is refused and nothing is live when read again, 400 for two Host headers', async () => {
    // A port nothing listens on (a server opened and closed), and nothing live when read again.
    const gone = net.createServer();
    const gonePort = await listen(gone);
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    let reads = 0;
    const berthPort = await berthFor(() => (reads++ === 0 ? gonePort : null));
    expect((await exchange(berthPort, `GET / HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`)).startsWith('HTTP/1.1 404 ')).toBe(
      true,
    );
    const twoHosts = await exchange(berthPort, `GET / HTTP/1.1\r\nHost: ${HOST}\r\nHost: localhost:4321\r\n\r\n`);
    expect(twoHosts.startsWith('HTTP/1.1 400 ')).toBe(true);
  });
});
