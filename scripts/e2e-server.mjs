// The server Playwright's `webServer` starts: a production build of Berth on a fresh,
// throwaway data folder (its own embedded PostgreSQL, its own auth secret, no users).
//
//   node scripts/e2e-server.mjs            # port 3210, or E2E_PORT
//
// Signals are forwarded to the server, which stops its embedded PostgreSQL itself. The data
// folder is removed only after the server has exited and no PostgreSQL still runs on it
// (E2E_KEEP_DATA=1 keeps it for a post-mortem).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { build } from './build.mjs';
import { ensureDockerEngine } from './docker-engine.mjs';
import { root, say } from './lib.mjs';
import { ensureWorkspaceImage } from './workspace-image.mjs';

const port = Number(process.env.E2E_PORT ?? 3210);
// Where e2e/assistant.spec.ts's scripted model server listens (playwright.config.ts: the same).
const modelPort = Number(process.env.E2E_MODEL_PORT ?? port + 89);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`E2E_PORT must be a port number, got ${process.env.E2E_PORT}`);
  process.exit(2);
}

// A signal that arrives while we are still building stops the build and nothing else.
let child;
let stopSignal;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopSignal ??= signal;
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    else if (!child) process.exit(130);
  });
}

await build();
await ensureDockerEngine();
const workspaceImage = process.env.WORKSPACE_IMAGE || (await ensureWorkspaceImage({ quiet: true }));
if (stopSignal) process.exit(130);
// Its own scope: this server must not adopt or remove anyone else's workspaces, and its own
// are removed when it exits.
const scope = `e2e-${randomBytes(6).toString('hex')}`;

// Under /tmp with mode 0755: as root, PostgreSQL runs as the `postgres` user, which must be
// able to traverse into DATA_DIR/postgres (mkdtemp makes 0700 folders).
const dataDir = mkdtempSync(path.join(tmpdir(), 'berth-e2e-'));
chmodSync(dataDir, 0o755);
say(`e2e server on http://localhost:${port} (data in ${dataDir})`);

child = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'dist', 'server.mjs')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(port),
    HOST: process.env.E2E_HOST ?? '127.0.0.1',
    BERTH_URL: `http://localhost:${port}`,
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    ALLOW_SIGNUP: 'true',
    // Every journey signs up users of its own, all from 127.0.0.1.
    SIGNUPS_PER_IP: '10000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    WORKSPACE_IMAGE: workspaceImage,
    WORKSPACE_SCOPE: scope,
    // e2e/admin.spec.ts signs up with the first email to reach /admin, e2e/account.spec.ts with the second.
    BERTH_ADMIN_EMAILS: process.env.BERTH_ADMIN_EMAILS ?? 'e2e-admin@example.test,e2e-account-admin@example.test',
    // e2e/account.spec.ts opens the IDE at this other name (a stand-in for a LAN address).
    BERTH_ALLOWED_HOSTS: process.env.BERTH_ALLOWED_HOSTS ?? 'berth-lan.test',
    // e2e/assistant.spec.ts starts a scripted OpenAI-compatible model server on this port.
    AI_OPENAI_BASE_URL: `http://127.0.0.1:${modelPort}/v1`,
    AI_DEFAULT_MODEL: 'openai:scripted-model',
    // e2e/git-remote.spec.ts pushes to a git server on this machine's own address, which the
    // workspace containers reach (server/test-support/git-http-server.ts picks the same one).
    GIT_ALLOW_PRIVATE_HOSTS: process.env.GIT_ALLOW_PRIVATE_HOSTS ?? hostAddress(),
  },
});

child.on('error', (error) => {
  console.error(`could not start the server: ${error.message}`);
  cleanUp();
  process.exit(1);
});
child.on('exit', (code, signal) => {
  cleanUp();
  process.exit(code ?? (signal && signal !== stopSignal ? 1 : 0));
});

/** This machine's first non-internal IPv4 address ('' when it has none). */
function hostAddress() {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal);
  return found?.address ?? '';
}

/** True while a PostgreSQL whose pid is recorded in the data folder is still alive. */
function postgresStillRunning() {
  for (const candidate of [path.join(dataDir, 'postgres', 'postmaster.pid')]) {
    if (!existsSync(candidate)) continue;
    const pid = Number(readFileSync(candidate, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      if (error.code === 'EPERM') return true;
    }
  }
  return false;
}

/** Removes this run's workspace containers, volumes and networks (all labelled with its scope). */
function removeWorkspaces() {
  const label = `label=berth.scope=${scope}`;
  const ids = (args) => spawnSync('docker', args, { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  const containers = ids(['ps', '-aq', '--filter', label]);
  if (containers.length) spawnSync('docker', ['rm', '-f', ...containers]);
  const volumes = ids(['volume', 'ls', '-q', '--filter', label]);
  if (volumes.length) spawnSync('docker', ['volume', 'rm', '-f', ...volumes]);
  const networks = ids(['network', 'ls', '-q', '--filter', label]);
  if (networks.length) spawnSync('docker', ['network', 'rm', ...networks]);
  // Workspace filesystems (WORKSPACE_DISK_GB, docs/adr-0006) are loop mounts under the data folder.
  const disks = path.join(dataDir, 'disks') + path.sep;
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const target = line.split(' ')[4];
    if (target?.startsWith(disks)) spawnSync('umount', ['-l', target]);
  }
}

function cleanUp() {
  removeWorkspaces();
  if (process.env.E2E_KEEP_DATA === '1') {
    say(`kept e2e data in ${dataDir}`);
    return;
  }
  if (postgresStillRunning()) {
    say(`PostgreSQL still runs on ${dataDir}; leaving it in place`);
    return;
  }
  try {
    rmSync(dataDir, { recursive: true, force: true });
  } catch (error) {
    say(`could not remove ${dataDir}: ${error.message}`);
  }
}
