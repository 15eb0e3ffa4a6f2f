// One `docker exec` (a terminal's shell, a one-off command) as an ExecSession. Output is read
// from the hijacked socket in flowing mode so pause() is real backpressure: the socket stops
// being read, the engine stops copying, and with a tty the process blocks on a full pty.
import type { Duplex } from 'node:stream';
import type { Exec } from 'dockerode';
import type { Disposer } from '../../core/typed-emitter';
import type { Logger } from '../../core/logger';
import type { ExecSession } from '../runtime-driver';
import { createDemuxer } from './stream-demux';

// Output held while nobody listens yet; above this the socket is paused rather than dropped.
const PENDING_LIMIT = 1024 * 1024;
const EXIT_POLL_MS = 20;
const EXIT_POLL_LIMIT_MS = 2000;
// Docker leaves exec'd processes running when the client goes away, so close() escalates.
const CLOSE_GRACE_MS = 1000;
const HANGUP_GRACE_MS = 2000;

export interface DockerExecSessionOptions {
  exec: Exec;
  stream: Duplex;
  tty: boolean;
  /** Signals this session's processes inside the container (found by their session id). */
  signal: (signal: 'HUP' | 'KILL') => Promise<void>;
  onDidEnd: () => void;
  log: Logger;
}

export class DockerExecSession implements ExecSession {
  private readonly dataListeners = new Set<(chunk: Buffer) => void>();
  private readonly exitListeners = new Set<(code: number | null) => void>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private userPaused = false;
  private closing = false;
  private ended = false;
  /** undefined until the process is known to have ended. */
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;
  private markExited!: () => void;

  constructor(private readonly options: DockerExecSessionOptions) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    const { stream, tty } = options;
    const demux = tty ? null : createDemuxer((payload) => this.deliver(payload));
    stream.on('data', (chunk: Buffer) => (demux ? demux(chunk) : this.deliver(chunk)));
    stream.on('end', () => void this.finish());
    stream.on('close', () => void this.finish());
    stream.on('error', (error) => {
      options.log.debug({ err: error.message }, 'exec stream error');
      void this.finish();
    });
  }

  write(data: string | Buffer): void {
    const { stream } = this.options;
    if (this.closing || this.ended || stream.destroyed || stream.writableEnded) return;
    stream.write(data);
  }

  onData(listener: (chunk: Buffer) => void): Disposer {
    this.dataListeners.add(listener);
    if (this.pending.length > 0) {
      const held = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      for (const chunk of held) listener(chunk);
    }
    this.updateFlow();
    return () => {
      this.dataListeners.delete(listener);
      this.updateFlow();
    };
  }

  onExit(listener: (code: number | null) => void): Disposer {
    if (this.exitCode !== undefined) {
      const code = this.exitCode;
      queueMicrotask(() => listener(code));
      return () => undefined;
    }
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  async resize(cols: number, rows: number): Promise<void> {
    if (this.exitCode !== undefined || this.ended) return;
    try {
      await this.options.exec.resize({ h: rows, w: cols });
    } catch (error) {
      // The process may have exited between the check and the call: nothing to resize then.
      if (this.exitCode !== undefined || this.ended || !(await this.isRunning())) return;
      throw error;
    }
  }

  pause(): void {
    this.userPaused = true;
    this.updateFlow();
  }

  resume(): void {
    this.userPaused = false;
    this.updateFlow();
  }

  close(): void {
    if (this.closing || this.ended) return;
    this.closing = true;
    this.userPaused = false;
    this.updateFlow();
    this.options.stream.end();
    void this.escalate();
  }

  /** Resolves once the process has ended and onExit listeners were called. */
  whenExited(): Promise<void> {
    return this.exited;
  }

  private deliver(chunk: Buffer): void {
    if (this.dataListeners.size === 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      this.updateFlow();
      return;
    }
    for (const listener of this.dataListeners) listener(chunk);
  }

  private updateFlow(): void {
    const { stream } = this.options;
    if (stream.destroyed) return;
    const hold = this.userPaused || (this.dataListeners.size === 0 && this.pendingBytes >= PENDING_LIMIT);
    if (hold) stream.pause();
    else stream.resume();
  }

  private async escalate(): Promise<void> {
    // End of input ends a pipe reader, but a pty never passes it on: hang up a tty at once.
    if (!this.options.tty && (await this.endsWithin(CLOSE_GRACE_MS))) return;
    await this.options.signal('HUP').catch(() => undefined);
    if (await this.endsWithin(HANGUP_GRACE_MS)) return;
    await this.options.signal('KILL').catch(() => undefined);
    if (await this.endsWithin(HANGUP_GRACE_MS)) return;
    this.options.stream.destroy();
  }

  private async endsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([this.exited.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async isRunning(): Promise<boolean> {
    try {
      return (await this.options.exec.inspect()).Running;
    } catch {
      return false;
    }
  }

  /** The stream ended: read the exit code (null when the container or exec is gone). */
  private async finish(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    let code: number | null = null;
    const deadline = Date.now() + EXIT_POLL_LIMIT_MS;
    try {
      for (;;) {
        const info = await this.options.exec.inspect();
        if (!info.Running) {
          code = typeof info.ExitCode === 'number' ? info.ExitCode : null;
          break;
        }
        // The stream can end a moment before the engine records the exit.
        if (Date.now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, EXIT_POLL_MS));
      }
    } catch {
      code = null;
    }
    this.exitCode = code;
    this.options.onDidEnd();
    this.markExited();
    const listeners = [...this.exitListeners];
    this.exitListeners.clear();
    for (const listener of listeners) listener(code);
  }
}
