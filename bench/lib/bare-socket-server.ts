// The terminal-echo bench's floor: a bare Socket.IO server, a process of its own as Berth's is
// (Node HTTP server + Socket.IO on the WebSocket transport), with nothing else on the path — no
// authentication, no per-event gate, no schema, no terminal session, no tmux unless asked.
// Each connection says what it wants in its handshake query (`shell`):
//   none — every `input` comes straight back as an `output` push (the transport's round trip);
//   bash — `input` goes to a raw `docker exec` tty of bash -l in the container, its output comes
//          back as acked `output` pushes, as Berth's terminal:output does;
//   tmux — the same through the shell Berth runs for a terminal: a tmux session made and
//          attached by Berth's own command lines (floor-shells.ts).
// Run by bench/terminal-echo.bench.ts: BARE_PORT, BARE_CONTAINER; prints "listening" when ready.
import { createServer } from 'node:http';
import Dockerode from 'dockerode';
import { Server } from 'socket.io';
import { rawExecTty, type RawTty } from './exec-tty';
import { bashCommand, createTmuxSession, tmuxAttachCommand } from './floor-shells';

const port = Number(process.env.BARE_PORT);
const container = new Dockerode().getContainer(process.env.BARE_CONTAINER ?? '');
const SIZE = { cols: 80, rows: 24 };

// One session per server process, made at the first tmux connection.
const TMUX_SESSION = `bench-floor-socket-${process.pid}`;
let tmuxSession: Promise<void> | undefined;
const shells: Record<string, { command: string[]; ready: () => Promise<void> }> = {
  bash: { command: bashCommand(), ready: () => Promise.resolve() },
  tmux: {
    command: tmuxAttachCommand(TMUX_SESSION),
    ready: () => (tmuxSession ??= createTmuxSession(container, TMUX_SESSION)),
  },
};

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, transports: ['websocket'] });

io.on('connection', (socket) => {
  const shell = String(socket.handshake.query.shell ?? 'none');
  const known = Object.hasOwn(shells, shell) ? shells[shell] : undefined;
  if (!known) {
    socket.on('input', (data: string, ack?: () => void) => {
      socket.emit('output', data, () => undefined);
      ack?.();
    });
    return;
  }
  let tty: RawTty | undefined;
  const held: string[] = [];
  socket.on('input', (data: string, ack?: () => void) => {
    if (tty) tty.write(data);
    else held.push(data);
    ack?.();
  });
  socket.on('disconnect', () => tty?.close());
  void known
    .ready()
    .then(() => rawExecTty(container, known.command, (text) => socket.emit('output', text, () => undefined), SIZE))
    .then(
      (opened) => {
        tty = opened;
        for (const data of held.splice(0)) tty.write(data);
      },
      (error: Error) => socket.emit('output', `bare server: ${error.message}\r\n`, () => undefined),
    );
});

httpServer.listen(port, '127.0.0.1', () => console.log('listening'));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
