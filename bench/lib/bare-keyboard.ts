// Keyboards on the bare Socket.IO server (bare-socket-server.ts), for the terminal-echo bench's
// floor: the same client as Berth's (socket.io-client, WebSocket), `input` with an ack, `output`
// pushes acked on arrival like the typing tab's terminal:output.
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { OutputWatch, PROMPT_CHAR } from './terminal-output';
import type { Defer } from './cleanup';
import type { Keyboard } from './keyboards';
import { freePort, sleep, spawnServer, type Spawned } from './process';
import { root } from './repo';

export type BareShell = 'none' | 'bash' | 'tmux';
const KEY_TIMEOUT_MS = 10_000;

/** Starts the bare server (its own Node process, through tsx) for `container`; resolves once it listens. */
export async function startBareServer(container: string, defer: Defer): Promise<{ base: string; server: Spawned }> {
  const port = await freePort();
  const server = spawnServer(
    path.join(root, 'node_modules', '.bin', 'tsx'),
    [path.join(root, 'bench', 'lib', 'bare-socket-server.ts')],
    { cwd: root, env: { ...process.env, BARE_PORT: String(port), BARE_CONTAINER: container } },
    defer,
  );
  for (const deadline = performance.now() + 30_000; !server.output().includes('listening'); await sleep(20)) {
    if (server.hasExited() || performance.now() > deadline)
      throw new Error(`the bare Socket.IO server did not start:\n${server.output()}`);
  }
  return { base: `http://127.0.0.1:${port}`, server };
}

/** A connection to the bare server with the given shell behind it; resolves at its prompt (none: at once). */
export async function openBare(
  base: string,
  shell: BareShell,
  name: string,
  defer: Defer,
): Promise<Keyboard & { close(): void }> {
  const socket: Socket = io(base, { transports: ['websocket'], query: { shell }, reconnection: false, forceNew: true });
  defer(`disconnect ${name}`, () => void socket.disconnect());
  const watch = new OutputWatch();
  socket.on('output', (text: string, ack: () => void) => {
    watch.push(text, performance.now());
    ack();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(new Error(`${name}: ${error.message}`)));
  });
  if (shell !== 'none') {
    await watch.waitFor(PROMPT_CHAR, 30_000, `prompt (${name})`);
    await watch.settle(100, 5_000);
  }
  return {
    name,
    watch,
    send: (data) =>
      new Promise<number>((resolve, reject) => {
        socket.timeout(KEY_TIMEOUT_MS).emit('input', data, (error: Error | null) => {
          if (error) reject(new Error(`${name}: input not acked within ${KEY_TIMEOUT_MS} ms`));
          else resolve(performance.now());
        });
      }),
    close: () => void socket.disconnect(),
  };
}
