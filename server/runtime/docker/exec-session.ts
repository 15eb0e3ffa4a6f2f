// One `docker exec` (a terminal's shell, a one-off command) as an ExecSession. Output is read
// from the hijacked socket in flowing mode so pause() is real backpressure: the socket stops
// being read, the engine stops copying, and with a tty the process blocks on a full pty.
import type { Duplex } from 'node:stream';
import type { Exec } from 'dockerode';
import type { Disposer } from '../../core/typed-emitter';
import type { Logger } from '../../core/logger';
import { ExecOutput } from '../exec-output';
import type { ExecSession } from '../runtime-driver';
import { createDemuxer } from './stream-demux';

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
  private readonly output: ExecOutput;
  private closing = false;
  /** The stream ended (the exit code may still be unknown). */
  private ended = false;

  constructor(private readonly options: DockerExecSessionOptions) {
    const { stream, tty } = options;
    this.output = new ExecOutput((flowing) => {
      if (stream.destroyed) return;
      if (flowing) stream.resume();
      else stream.pause();
    });
    const deliver = (chunk: Buffer) => this.output.deliver(chunk);
    const demux = tty ? null : createDemuxer(deliver);
    stream.on('data', (chunk: Buffer) => (demux ? demux(chunk) : deliver(chunk)));
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
    return this.output.onData(listener);
  }

  onExit(listener: (code: number | null) => void): Disposer {
    return this.output.onExit(listener);
  }

  async resize(cols: number, rows: number): Promise<void> {
    if (this.output.exitCode !== undefined || this.ended) return;
    try {
      await this.options.exec.resize({ h: rows, w: cols });
    } catch (error) {
      // The process may have exited between the check and the call: nothing to resize then.
      if (this.output.exitCode !== undefined || this.ended || !(await this.isRunning())) return;
      throw error;
    }
  }

  pause(): void {
    this.output.pause();
  }

  resume(): void {
    this.output.resume();
  }

  close(): void {
    if (this.closing || this.ended) return;
    this.closing = true;
    this.output.resume(); // a paused process could not finish
    this.options.stream.end();
    void this.escalate();
  }

  /** Resolves once the process has ended and onExit listeners were called. */
  whenExited(): Promise<void> {
    return this.output.exited;
  }

  private async escalate(): Promise<void> {
    // End of input ends a pipe reader, but a pty never passes it on: hang up a tty at once.
    if (!this.options.tty && (await this.output.endsWithin(CLOSE_GRACE_MS))) return;
    await this.options.signal('HUP').catch(() => undefined);
    if (await this.output.endsWithin(HANGUP_GRACE_MS)) return;
    await this.options.signal('KILL').catch(() => undefined);
    if (await this.output.endsWithin(HANGUP_GRACE_MS)) return;
    this.options.stream.destroy();
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
    this.options.onDidEnd();
    this.output.finish(code);
  }
}
