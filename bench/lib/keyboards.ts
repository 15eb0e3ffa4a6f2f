// Shells that take keys, for the terminal benches: a Berth terminal (terminal:input with an ack,
// terminal:output through an OutputRouter) or a raw `docker exec` tty, and typing into them
// one key at a time, each timed until its echo arrives.
import type Dockerode from 'dockerode';
import type { Defer } from './cleanup';
import { call, connectSocket, type BenchSocket } from './bench-socket';
import type { BenchServer } from './berth';
import { OutputRouter, OutputWatch, PROMPT_CHAR, type AckMode } from './terminal-output';
import { rawExecTty } from './exec-tty';

export const BLOCK = 50; // keys per block; the line is cleared (Ctrl-U) after each
const KEY_TIMEOUT_MS = 10_000;
const SIZE = { cols: 80, rows: 24 };
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A shell that takes keys and whose output lands in `watch`. */
export interface Keyboard {
  name: string;
  /** Sends input; resolves with when the server acked it (raw exec: at once, nothing to ack). */
  send(data: string): Promise<number>;
  watch: OutputWatch;
  /** Round trips of the input acks, when `send` has one to wait for. */
  acks?: number[];
}

/** Types `count` keys one at a time, each timed until its echo arrives; clears the line after. */
export async function typeKeys(kb: Keyboard, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const key = LETTERS[i % LETTERS.length]!;
    kb.watch.reset();
    const sent = performance.now();
    const acked = kb.send(key);
    const at = await kb.watch.waitFor(key, KEY_TIMEOUT_MS, `echo of "${key}" (${kb.name})`);
    samples.push(at - sent);
    kb.acks?.push((await acked) - sent);
  }
  await clearLine(kb);
  return samples;
}

/** Ctrl-U (readline's unix-line-discard), then waits for its redraw to end. */
export async function clearLine(kb: Keyboard): Promise<void> {
  kb.watch.reset();
  void kb.send('\x15');
  await kb.watch.waitFor(/./s, KEY_TIMEOUT_MS, `redraw after Ctrl-U (${kb.name})`);
  await kb.watch.settle(30, 2_000);
}

/** Interleaves blocks of `BLOCK` keys over the keyboards until each typed `total`. */
export async function typeInterleaved(keyboards: Keyboard[], total: number): Promise<number[][]> {
  const samples = keyboards.map(() => [] as number[]);
  for (let done = 0; done < total; done += BLOCK) {
    for (const [i, kb] of keyboards.entries()) samples[i]!.push(...(await typeKeys(kb, Math.min(BLOCK, total - done))));
  }
  return samples;
}

export interface BerthTerminal extends Keyboard {
  terminalId: string;
}

/** terminal:create on `socket`; resolves once its prompt has arrived. */
export async function openTerminal(
  socket: BenchSocket,
  router: OutputRouter,
  projectId: string,
  name: string,
): Promise<BerthTerminal> {
  const watch = new OutputWatch();
  const early: [string, number][] = [];
  router.listenOthers((_id, text, at) => early.push([text, at]));
  const created = await call(socket, 'terminal:create', { projectId, ...SIZE });
  watch.push(created.scrollback, performance.now());
  for (const [text, at] of early) watch.push(text, at);
  router.listen(created.id, (text, at) => watch.push(text, at));
  await watch.waitFor(PROMPT_CHAR, 30_000, `prompt (${name})`);
  await watch.settle(100, 5_000);
  return {
    name,
    terminalId: created.id,
    watch,
    // As the browser does: every key is a terminal:input call with an ack.
    send: (data) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`terminal:input (${name}): no ack within ${KEY_TIMEOUT_MS} ms`)),
          KEY_TIMEOUT_MS,
        );
        socket.emit('terminal:input', { terminalId: created.id, data }, (result) => {
          clearTimeout(timer);
          if (result.ok) resolve(performance.now());
          else reject(new Error(`terminal:input (${name}): ${result.error.code}: ${result.error.message}`));
        });
      }),
  };
}

/** A raw `docker exec` tty of `command` (bash -l unless told) in the container. */
export async function openRaw(
  container: Dockerode.Container,
  name: string,
  command: string[] = ['bash', '-l'],
): Promise<Keyboard & { close(): void; received(): number }> {
  const watch = new OutputWatch();
  let received = 0;
  const tty = await rawExecTty(
    container,
    command,
    (text, at) => {
      received += text.length;
      watch.push(text, at);
    },
    SIZE,
  );
  await watch.waitFor(PROMPT_CHAR, 30_000, `prompt (${name})`);
  await watch.settle(100, 5_000);
  const send = (data: string) => {
    tty.write(data);
    return Promise.resolve(performance.now());
  };
  return { name, watch, send, close: () => tty.close(), received: () => received };
}

export async function socketWithRouter(
  bench: BenchServer,
  defer: Defer,
  ackMode: AckMode,
): Promise<{ socket: BenchSocket; router: OutputRouter }> {
  const socket = await connectSocket(bench, defer);
  return { socket, router: new OutputRouter(socket, ackMode) };
}
