// Makes sure a Docker engine answers. Where none does and this machine allows it (Debian,
// root), installs Debian's docker.io and starts dockerd in the background, saying so;
// otherwise stops with exactly what to do. Node built-ins only.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { commandExists, isRoot, root, run, say } from './lib.mjs';

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** GET /_ping on the engine named by DOCKER_HOST (unix or tcp) or the default socket. */
export function pingEngine(timeoutMs = 2000) {
  const host = process.env.DOCKER_HOST;
  const target = !host
    ? { socketPath: DEFAULT_SOCKET }
    : host.startsWith('unix://')
      ? { socketPath: host.slice('unix://'.length) }
      : (() => {
          const url = new URL(host.replace(/^tcp:/, 'http:'));
          return { host: url.hostname, port: Number(url.port || 2375) };
        })();
  return new Promise((resolve) => {
    const req = http.request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

async function waitForEngine(seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await pingEngine(500)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

const instructions = `No Docker engine answers${process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : ` on ${DEFAULT_SOCKET}`}.
Berth runs each project in a Docker container. Do one of:
  • start your Docker engine (e.g. "sudo systemctl start docker"), or
  • on Debian/Ubuntu as root: "apt-get install -y docker.io && dockerd &", or
  • point DOCKER_HOST at an engine you can use (unix:///path/docker.sock or tcp://host:2375).
Then run the command again.`;

export async function ensureDockerEngine() {
  if (await pingEngine()) return;
  const canManage = !process.env.DOCKER_HOST && isRoot() && commandExists('apt-get');
  if (!canManage) throw new Error(instructions);
  if (!commandExists('dockerd')) {
    say('no Docker engine here: installing Debian\'s docker.io (as root)…');
    await run('apt-get', ['update', '-qq']);
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'docker.io', 'iptables'], {
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const logDir = path.join(root, '.data');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, 'dockerd.log');
  say(`starting dockerd in the background (log: ${path.relative(root, logFile)})…`);
  const out = openSync(logFile, 'a');
  const daemon = spawn('dockerd', [], { detached: true, stdio: ['ignore', out, out] });
  daemon.unref();
  if (!(await waitForEngine(60))) throw new Error(`dockerd did not answer within 60 s; see ${logFile}\n\n${instructions}`);
  say('Docker engine is up');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureDockerEngine().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
