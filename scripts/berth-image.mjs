// `npm run image`: builds Berth's own image, berth:latest (docker/Dockerfile), on the same base
// as the workspace image (node:22-bookworm-slim where a registry answers, else the local Debian
// base), with the workspace image's tag baked in. The build stage gets this machine's CA bundle
// (BUILD_CA_BUNDLE, default the system bundle) so `npm ci` works behind a TLS-re-signing proxy;
// the final image does not contain it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDockerEngine } from './docker-engine.mjs';
import { root, run, say } from './lib.mjs';
import { ensureWorkspaceImage, resolveBase } from './workspace-image.mjs';

const TAG = process.env.BERTH_IMAGE ?? 'berth:latest';

export async function buildBerthImage() {
  await ensureDockerEngine();
  const workspaceImage = await ensureWorkspaceImage({ quiet: true });
  const base = await resolveBase();
  const contextExtras = path.join(root, '.data', 'build', 'berth-image');
  mkdirSync(contextExtras, { recursive: true });
  const caBundle = process.env.BUILD_CA_BUNDLE ?? '/etc/ssl/certs/ca-certificates.crt';
  writeFileSync(
    path.join(contextExtras, 'ca-bundle.crt'),
    caBundle && existsSync(caBundle) ? readFileSync(caBundle) : '',
  );
  say(`building ${TAG} on ${base} (workspace image ${workspaceImage})…`);
  await run('docker', [
    'build',
    '-f',
    'docker/Dockerfile',
    '--build-arg',
    `BASE_IMAGE=${base}`,
    '--build-arg',
    `WORKSPACE_IMAGE=${workspaceImage}`,
    '-t',
    TAG,
    '.',
  ]);
  const size = spawnSync('docker', ['image', 'inspect', '--format', '{{.Size}}', TAG], {
    encoding: 'utf8',
  }).stdout.trim();
  say(
    `${TAG} is ready (${(Number(size) / 1024 / 1024).toFixed(0)} MB). Run it with docker/compose.yaml: docker compose -f docker/compose.yaml up`,
  );
  return { tag: TAG, workspaceImage, bytes: Number(size) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildBerthImage().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
