// The server Playwright's image config (playwright.image.config.ts) starts: Berth's own image,
// berth:latest (built or brought up to date by `npm run image`'s code), run as users run it —
// a container with the host's Docker socket and a data volume — on IMAGE_E2E_PORT (3710).
// Its container's name goes to .data/image-e2e.json so tests can restart it. On SIGTERM the
// container, its volume and its workspaces (their own WORKSPACE_SCOPE) are removed — and by
// the config's global teardown too, which does not depend on the signal reaching this process.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildBerthImage } from './berth-image.mjs';
import { imageE2eStateFile, removeImageE2e } from './image-e2e-cleanup.mjs';
import { say } from './lib.mjs';

const port = Number(process.env.IMAGE_E2E_PORT ?? 3710);
const id = randomBytes(4).toString('hex');
const name = `berth-image-e2e-${id}`;
const scope = `image-e2e-${id}`;
const stateFile = imageE2eStateFile;
const docker = (...args) => spawnSync('docker', args, { encoding: 'utf8' });

let started = false;
function cleanUp() {
  if (!started) return;
  started = false;
  removeImageE2e({ container: name, scope });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    cleanUp();
    process.exit(0);
  });
}

const built = await buildBerthImage();
const socketGroup = String(statSync('/var/run/docker.sock').gid);
const url = `http://localhost:${port}`;
const run = docker(
  'run',
  '-d',
  '--name',
  name,
  '--group-add',
  socketGroup,
  '-v',
  '/var/run/docker.sock:/var/run/docker.sock',
  '-v',
  `${name}-data:/data`,
  '-p',
  `127.0.0.1:${port}:3000`,
  '-e',
  `BERTH_URL=${url}`,
  '-e',
  `PREVIEW_DOMAIN=localhost:${port}`,
  '-e',
  `WORKSPACE_SCOPE=${scope}`,
  '-e',
  'LOG_LEVEL=warn',
  built.tag,
);
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(1);
}
started = true;
mkdirSync(path.dirname(stateFile), { recursive: true });
writeFileSync(stateFile, JSON.stringify({ container: name, scope, url, image: built.tag, imageBytes: built.bytes }));
say(`${built.tag} running as ${name} on ${url} (WORKSPACE_SCOPE=${scope})`);
// Keep running (and forward the container's log) until Playwright stops us.
spawn('docker', ['logs', '-f', name], { stdio: 'inherit' });
