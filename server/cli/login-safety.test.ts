// The sign-in and platform guards: only a plain http(s) URL the CLI built itself reaches the OS
// opener (never the server's approveUrl), the code is printed for the user to type, and Windows
// is refused before any command runs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './cli';
import type { CliIo } from './cli-io';
import { approvePageUrl, deviceLogin } from './device-login';
import { openableUrl } from './open-browser';

function recordingIo() {
  const lines: string[] = [];
  const io: CliIo = {
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
    errInPlace: () => undefined,
    stderrIsTTY: false,
    env: {},
    cwd: '/',
  };
  return { io, lines };
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('the browser opener', () => {
  it('takes only plain http(s) URLs', () => {
    expect(openableUrl('https://berth.example/cli/approve')).toBe('https://berth.example/cli/approve');
    expect(openableUrl('http://localhost:3000/cli/approve')).toBe('http://localhost:3000/cli/approve');
    for (const bad of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'calc.exe',
      'ms-settings:',
      'https://x.example/a&calc',
      'https://x.example/"&calc&"',
      'not a url',
    ])
      expect(openableUrl(bad), bad).toBeUndefined();
  });

  it('the approve page is built from the Berth URL', () => {
    expect(approvePageUrl('https://berth.example/')).toBe('https://berth.example/cli/approve');
    expect(approvePageUrl('http://localhost:3000')).toBe('http://localhost:3000/cli/approve');
  });
});

describe('deviceLogin', () => {
  it("opens the page it built, never the server's approveUrl, and prints the code to type", async () => {
    server = createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/api/v1/cli/login') {
        res.writeHead(201).end(
          JSON.stringify({
            code: 'ABCD-1234',
            pollToken: 'p',
            approveUrl: 'file:///C:/Windows/System32/calc.exe',
            expiresAt: new Date(Date.now() + 60_000).toISOString(),
          }),
        );
        return;
      }
      res.writeHead(200).end(JSON.stringify({ status: 'approved', token: 'berth_pat_x' }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const opened: string[] = [];
    const { io, lines } = recordingIo();
    const token = await deviceLogin(base, io, { openBrowser: (url) => opened.push(url), pollMs: 1 });
    expect(token).toBe('berth_pat_x');
    expect(opened).toEqual([`${base}/cli/approve`]);
    expect(lines.join('\n')).toContain('enter this code: ABCD-1234');
    expect(lines.join('\n')).not.toContain('calc');
  });
});

describe('runCli on Windows', () => {
  it('refuses to run, saying so', async () => {
    const { io, lines } = recordingIo();
    expect(await runCli(['status'], io, new AbortController().signal, 'win32')).toBe(1);
    expect(lines).toEqual(['berth: Windows is not supported yet; use WSL']);
  });
});
