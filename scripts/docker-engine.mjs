// Makes sure a Docker engine answers. Where none does and this machine allows it (Debian,
// root), installs Debian's docker.io and starts dockerd in the background, saying so;
// otherwise stops with exactly what to do. Node built-ins only.
// The engine it starts runs with live-restore: restarting dockerd (an upgrade, a crash) then
// leaves the workspaces running — their shells, dev servers and tmux sessions with them.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { commandExists, isRoot, root, run, say } from './lib.mjs';

const DEFAULT_SOCKET = '/var/run/docker.sock';
const DAEMON_JSON = '/etc/docker/daemon.json';

/**
 * dockerd's arguments: --live-restore, unless daemon.json already sets live-restore (dockerd
 * refuses a setting given both as a flag and in the file).
 */
export function dockerdArgs(daemonJson = DAEMON_JSON) {
  try {
    if (existsSync(daemonJson) && 'live-restore' in JSON.parse(readFileSync(daemonJson, 'utf8'))) return [];
  } catch {
    // An unreadable daemon.json makes dockerd itself fail with a clear message.
  }
  return ['--live-restore'];
}

function engineTarget() {
  const host = process.env.DOCKER_HOST;
  if (!host) return { socketPath: DEFAULT_SOCKET };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375) };
}

/** GET /_ping on the engine named by DOCKER_HOST (unix or tcp) or the default socket. */
export function pingEngine(timeoutMs = 2000) {
  const target = engineTarget();
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

/** The engine's LiveRestoreEnabled (GET /info), or undefined when it does not say. */
export function engineLiveRestore(timeoutMs = 5000) {
  return new Promise((resolve) => {
    const req = http.request({ ...engineTarget(), path: '/info', method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body).LiveRestoreEnabled);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => {
      req.destroy();
      resolve(undefined);
    });
    req.end();
  });
}

export async function waitForEngine(seconds) {
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

/** Starts dockerd in the background (with live-restore), logging to .data/dockerd.log; resolves once it answers. */
export async function startDockerd() {
  const logDir = path.join(root, '.data');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, 'dockerd.log');
  say(`starting dockerd in the background (log: ${path.relative(root, logFile)})…`);
  const out = openSync(logFile, 'a');
  const daemon = spawn('dockerd', dockerdArgs(), { detached: true, stdio: ['ignore', out, out] });
  daemon.unref();
  if (!(await waitForEngine(60)))
    throw new Error(`dockerd did not answer within 60 s; see ${logFile}\n\n${instructions}`);
  say('Docker engine is up');
}

/**
 * Stops the dockerd this machine runs (SIGTERM, as an init system would) and starts it again
 * the way startDockerd does; resolves once it answers. For tests and benches of engine restarts
 * (`onStopped` runs once the old process is gone).
 */
export async function restartDockerd({ pidFile = '/var/run/docker.pid', onStopped = () => {} } = {}) {
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let waited = 0; alive(); waited += 50) {
    if (waited > 60_000) throw new Error(`dockerd (pid ${pid}) did not stop within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  onStopped();
  await startDockerd();
}

export async function ensureDockerEngine() {
  if (await pingEngine()) {
    if ((await engineLiveRestore()) === false) {
      say(
        'note: this Docker engine runs without live-restore, so restarting it stops every workspace (see README, "Docker engine restarts")',
      );
    }
    return;
  }
  const canManage = !process.env.DOCKER_HOST && isRoot() && commandExists('apt-get');
  if (!canManage) throw new Error(instructions);
  if (!commandExists('dockerd')) {
    say("no Docker engine here: installing Debian's docker.io (as root)…");
    await run('apt-get', ['update', '-qq']);
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'docker.io', 'iptables'], {
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  await startDockerd();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureDockerEngine().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
