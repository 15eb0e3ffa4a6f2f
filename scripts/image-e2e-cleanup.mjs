// Removes what an image e2e run made: Berth's container and data volume, and the workspaces,
// volumes and networks of its WORKSPACE_SCOPE. Safe to call twice. Also reads the state file
// scripts/image-e2e-server.mjs writes, for the Playwright config's global teardown.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { root } from './lib.mjs';

export const imageE2eStateFile = path.join(root, '.data', 'image-e2e.json');
const docker = (...args) => spawnSync('docker', args, { encoding: 'utf8' });
const ids = (...args) =>
  docker(...args)
    .stdout.split('\n')
    .filter(Boolean);

export function removeImageE2e({ container, scope }) {
  docker('rm', '-f', container);
  docker('volume', 'rm', '-f', `${container}-data`);
  const filter = `label=berth.scope=${scope}`;
  const containers = ids('ps', '-aq', '--filter', filter);
  if (containers.length) docker('rm', '-f', ...containers);
  const volumes = ids('volume', 'ls', '-q', '--filter', filter);
  if (volumes.length) docker('volume', 'rm', '-f', ...volumes);
  const networks = ids('network', 'ls', '-q', '--filter', filter);
  if (networks.length) docker('network', 'rm', ...networks);
  rmSync(imageE2eStateFile, { force: true });
}

/** Global teardown of playwright.image.config.ts. */
export default function teardown() {
  if (!existsSync(imageE2eStateFile)) return;
  removeImageE2e(JSON.parse(readFileSync(imageE2eStateFile, 'utf8')));
}
