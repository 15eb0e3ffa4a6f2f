// A long-lived shell in a workspace container: `docker exec -i bash` fed one line at a time,
// each command followed by a marker so its end (and exit status) can be timed.
import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';

export interface Shell {
  /** Writes one line to bash's stdin; returns the time it was written. */
  write(line: string): number;
  /** Runs `command`, resolves with its stdout (without the marker) and when the marker arrived. */
  run(command: string, timeoutMs?: number): Promise<{ output: string; status: number; at: number }>;
  close(): void;
}

/**
 * `docker exec -i <container> bash` through the engine API, as the workspace user in
 * /workspace, no tty: bash reads stdin a line at a time and runs each as it arrives, so no
 * exec start-up is counted per command. stdout and stderr are demultiplexed.
 */
export async function openShell(
  docker: Dockerode,
  container: Dockerode.Container,
  defaultTimeoutMs: number,
): Promise<Shell> {
  const exec = await container.exec({
    Cmd: ['bash'],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    User: '1000:1000',
    WorkingDir: '/workspace',
    Env: ['BERTH_AGENT_SECRET='],
  });
  const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  docker.modem.demuxStream(stream, stdout, stderr);
  stream.on('error', () => undefined);
  const decoder = new StringDecoder('utf8');
  let text = '';
  let waiter: { marker: RegExp; resolve: (match: RegExpExecArray, at: number) => void } | undefined;
  stdout.on('data', (chunk: Buffer) => {
    const at = performance.now();
    text += decoder.write(chunk);
    if (text.length > 1 << 20) text = text.slice(-(1 << 16));
    const match = waiter?.marker.exec(text);
    if (match && waiter) {
      const { resolve } = waiter;
      waiter = undefined;
      resolve(match, at);
    }
  });
  stderr.on('data', (chunk: Buffer) => console.error(`[shell stderr] ${chunk.toString('utf8').trimEnd()}`));
  let seq = 0;
  const write = (line: string) => {
    stream.write(line.endsWith('\n') ? line : `${line}\n`);
    return performance.now();
  };
  return {
    write,
    run: (command, timeoutMs = defaultTimeoutMs) => {
      const id = ++seq;
      text = '';
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(
            new Error(
              `shell: no end of \`${command}\` within ${timeoutMs} ms; last output ${JSON.stringify(text.slice(-200))}`,
            ),
          );
        }, timeoutMs);
        waiter = {
          marker: new RegExp(`__END_${id}_(\\d+)__\\n`),
          resolve: (match, at) => {
            clearTimeout(timer);
            resolve({ output: text.slice(0, match.index), status: Number(match[1]), at });
          },
        };
        write(`${command}; echo "__END_${id}_$?__"`);
      });
    },
    close: () => {
      stream.end();
      stream.destroy();
    },
  };
}
