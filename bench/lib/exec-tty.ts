// Raw `docker exec` with a tty: the bare-Docker baseline's way into a workspace container.
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';

export interface RawTty {
  write(data: string): void;
  close(): void;
}

/**
 * `docker exec -it <container> <command>` through the engine API: exec create, start hijacked
 * with stdin, then a resize (as the docker CLI does), as the workspace user in /workspace.
 * `onText` gets every decoded chunk with its arrival time, from the first byte on. The
 * process ends with its container; close() only ends the connection.
 */
export async function rawExecTty(
  container: Dockerode.Container,
  command: string[],
  onText: (text: string, at: number) => void,
  size = { cols: 80, rows: 24 },
): Promise<RawTty> {
  const exec = await container.exec({
    Cmd: command,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    User: '1000:1000',
    WorkingDir: '/workspace',
    Env: ['TERM=xterm-256color', 'COLORTERM=truecolor', 'BERTH_AGENT_SECRET='],
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  const decoder = new StringDecoder('utf8');
  stream.on('data', (chunk: Buffer) => {
    const at = performance.now();
    const text = decoder.write(chunk);
    if (text) onText(text, at);
  });
  stream.on('error', () => undefined);
  await exec.resize({ h: size.rows, w: size.cols });
  return {
    write: (data) => void stream.write(data),
    close: () => stream.destroy(),
  };
}
