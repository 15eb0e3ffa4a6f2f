// A Socket.IO client that behaves like the workbench in a browser (Origin, session cookie),
// with helpers to call events and wait for pushed messages.
import { io as connect, type Socket } from 'socket.io-client';
import type { Ack, WorkspaceStatusDto } from '../contracts';
import type { TestServer, TestUser } from './api-test-server';

export interface TestSocket {
  socket: Socket;
  call<T>(event: string, payload: unknown): Promise<Ack<T>>;
  ok<T>(event: string, payload: unknown): Promise<T>;
  /** Resolves with the first pushed `event` payload matching `predicate`, or rejects after timeoutMs. */
  waitFor<T>(event: string, predicate: (payload: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Collects terminal output for one terminal, acking each batch unless told not to. */
  output(terminalId: string): {
    text(): string;
    until(pattern: RegExp, timeoutMs?: number): Promise<string>;
    untilLength(length: number, timeoutMs?: number): Promise<string>;
    setAcking(on: boolean): void;
    flushAcks(): void;
  };
  close(): void;
}

export async function connectAs(t: TestServer, user: TestUser): Promise<TestSocket> {
  const socket = connect(t.baseUrl, {
    transports: ['websocket'],
    extraHeaders: { Origin: t.origin, Cookie: user.cookie },
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const outputs = new Map<string, { text: string; acking: boolean; held: (() => void)[]; waiters: (() => void)[] }>();
  socket.on('terminal:output', ({ terminalId, data }: { terminalId: string; data: string }, ack: () => void) => {
    const entry = outputs.get(terminalId);
    if (!entry) return ack();
    entry.text += data;
    if (entry.acking) ack();
    else entry.held.push(ack);
    entry.waiters.splice(0).forEach((wake) => wake());
  });

  const call = <T>(event: string, payload: unknown) =>
    new Promise<Ack<T>>((resolve) => socket.emit(event, payload, resolve));
  const waitFor = <T>(event: string, predicate: (payload: T) => boolean, timeoutMs = 30_000) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.off(event, listener);
        reject(new Error(`timed out waiting for ${event}`));
      }, timeoutMs);
      const listener = (payload: T) => {
        if (!predicate(payload)) return;
        clearTimeout(timer);
        socket.off(event, listener);
        resolve(payload);
      };
      socket.on(event, listener);
    });

  return {
    socket,
    call,
    ok: async <T>(event: string, payload: unknown) => {
      const ack = await call<T>(event, payload);
      if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code} ${ack.error.message}`);
      return ack.data;
    },
    waitFor,
    output(terminalId) {
      const entry = { text: '', acking: true, held: [] as (() => void)[], waiters: [] as (() => void)[] };
      outputs.set(terminalId, entry);
      return {
        text: () => entry.text,
        until: (pattern, timeoutMs = 15_000) =>
          waitUntil(
            entry,
            (text) => pattern.test(text) || pattern.test(plainText(text)),
            `output never matched ${pattern}`,
            timeoutMs,
          ),
        untilLength: (length, timeoutMs = 15_000) =>
          waitUntil(entry, (text) => text.length >= length, `output never reached ${length} characters`, timeoutMs),
        setAcking: (on) => (entry.acking = on),
        flushAcks: () => entry.held.splice(0).forEach((ack) => ack()),
      };
    },
    close: () => socket.disconnect(),
  };
}

// Terminal output is tmux's drawing of the screen (cursor moves, mode switches, ESC [ K after
// lines); patterns may match the raw text or the text alone, without escapes and carriage returns.
const ESCAPES = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()*+][0-9A-Za-z]|[=>78DEHMc])/g;
export const plainText = (text: string) => text.replace(ESCAPES, '').replace(/\r/g, '');

function waitUntil(
  entry: { text: string; waiters: (() => void)[] },
  done: (text: string) => boolean,
  failure: string,
  timeoutMs: number,
) {
  return new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`${failure}; got: ${JSON.stringify(entry.text.slice(-300))}`)),
      timeoutMs,
    );
    const check = () => {
      if (done(entry.text)) {
        clearTimeout(deadline);
        resolve(entry.text);
      } else entry.waiters.push(check);
    };
    check();
  });
}

/** Opens the project's workspace and waits until it runs. */
export async function openRunningWorkspace(
  client: TestSocket,
  projectId: string,
  timeoutMs = 60_000,
): Promise<WorkspaceStatusDto> {
  const running = client.waitFor<WorkspaceStatusDto>(
    'workspace:status',
    (status) => status.projectId === projectId && status.state === 'running',
    timeoutMs,
  );
  const opened = await client.ok<WorkspaceStatusDto>('workspace:open', { projectId });
  if (opened.state === 'running') {
    running.catch(() => undefined); // nothing more will come; the timer must not reject loudly
    return opened;
  }
  return running;
}
