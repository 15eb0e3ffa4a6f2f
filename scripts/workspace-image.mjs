// Builds the workspace image when needed and prints its tag. The tag is a content hash of
// the Dockerfile, the profile, the bundled agent and the base image, so start-up never
// rebuilds an unchanged image. Base: node:22-bookworm-slim when a registry answers, else a
// Debian bookworm base made here with debootstrap plus this machine's Node.js.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bin, commandExists, isRoot, root, run, say } from './lib.mjs';
import { prepareTemplateDependencies, templatePackageFiles } from './template-deps.mjs';

const REGISTRY_BASE = 'node:22-bookworm-slim';
// The local base's packages; a changed list names (and so builds) a new base.
const LOCAL_PACKAGES = 'ca-certificates,git,curl,procps,bash,tini,less,passwd,tmux';
const LOCAL_BASE = `berth-base:bookworm-node${process.versions.node}-${createHash('sha256').update(LOCAL_PACKAGES).digest('hex').slice(0, 8)}`;
const IMAGE_FILES = ['Dockerfile', 'profile.sh', 'berth-install', 'tmux.conf'];
const IMAGE_REPO = 'berth-workspace';
const contextDir = path.join(root, '.data', 'build', 'workspace-image');

const docker = (...args) => spawnSync('docker', args, { encoding: 'utf8' });
const imageId = (ref) => {
  const result = docker('image', 'inspect', '--format', '{{.Id}}', ref);
  return result.status === 0 ? result.stdout.trim() : null;
};

async function bundleAgent() {
  mkdirSync(contextDir, { recursive: true });
  await run(bin('esbuild'), [
    'server/agent/main.ts',
    '--bundle',
    '--platform=node',
    // CommonJS: ws and friends are CommonJS and require Node built-ins at run time.
    '--format=cjs',
    '--target=node20',
    '--minify-syntax',
    '--legal-comments=none',
    `--outfile=${path.join(contextDir, 'agent.cjs')}`,
    '--log-level=warning',
    // ws loads these optional native helpers if present; the agent does without.
    '--external:bufferutil',
    '--external:utf-8-validate',
  ]);
  for (const file of IMAGE_FILES) cpSync(path.join(root, 'docker', 'workspace', file), path.join(contextDir, file));
}

/** The base image to build on: the registry's when it can be pulled, else the local one. */
export async function resolveBase() {
  if (process.env.WORKSPACE_BASE_IMAGE) return process.env.WORKSPACE_BASE_IMAGE;
  if (imageId(REGISTRY_BASE)) return REGISTRY_BASE;
  if (imageId(LOCAL_BASE)) return LOCAL_BASE;
  if (docker('pull', REGISTRY_BASE).status === 0) return REGISTRY_BASE;
  say(`${REGISTRY_BASE} cannot be pulled here; building ${LOCAL_BASE} from Debian packages (about a minute, once)…`);
  await buildLocalBase();
  return LOCAL_BASE;
}

async function buildLocalBase() {
  if (!isRoot() || !commandExists('apt-get')) {
    throw new Error(
      `No image registry answers and this machine cannot build a local base (needs root and apt). Pull ${REGISTRY_BASE} on a machine that can and "docker load" it here.`,
    );
  }
  if (!commandExists('debootstrap')) {
    await run('apt-get', ['update', '-qq']);
    await run('apt-get', ['install', '-y', '-qq', 'debootstrap'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  }
  const rootfs = mkdtempSync(path.join(tmpdir(), 'berth-rootfs-'));
  try {
    await run('debootstrap', ['--variant=minbase', `--include=${LOCAL_PACKAGES}`, 'bookworm', rootfs]);
    // Node.js and npm from this machine: the binary links only against glibc and libstdc++.
    cpSync(process.execPath, path.join(rootfs, 'usr/local/bin/node'));
    const npmDir = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm');
    cpSync(npmDir, path.join(rootfs, 'usr/local/lib/node_modules/npm'), { recursive: true, dereference: true });
    symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(rootfs, 'usr/local/bin/npm'));
    symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(rootfs, 'usr/local/bin/npx'));
    rmSync(path.join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
    const result = spawnSync(
      'sh',
      [
        '-c',
        `tar -C "${rootfs}" -c . | docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - ${LOCAL_BASE}`,
      ],
      { stdio: 'inherit' },
    );
    if (result.status !== 0) throw new Error('docker import of the local base failed');
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}

function contentTag(base) {
  const hash = createHash('sha256');
  for (const file of [...IMAGE_FILES, 'agent.cjs']) hash.update(file).update(readFileSync(path.join(contextDir, file)));
  for (const { name, content } of templatePackageFiles()) hash.update(name).update(content);
  hash.update(base).update(imageId(base) ?? '');
  return `${IMAGE_REPO}:${hash.digest('hex').slice(0, 16)}`;
}

/** Ensures the workspace image exists; returns its tag. */
export async function ensureWorkspaceImage({ quiet = false } = {}) {
  await bundleAgent();
  const base = await resolveBase();
  const tag = contentTag(base);
  if (imageId(tag)) {
    if (!quiet) say(`workspace image ${tag} is up to date`);
  } else {
    await prepareTemplateDependencies(contextDir);
    say(`building workspace image ${tag} on ${base}…`);
    await run('docker', [
      'build',
      '--quiet',
      '--build-arg',
      `BASE_IMAGE=${base}`,
      '-t',
      tag,
      '-t',
      `${IMAGE_REPO}:latest`,
      contextDir,
    ]);
  }
  writeFileSync(path.join(root, '.data', 'workspace-image'), tag + '\n');
  return tag;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureWorkspaceImage()
    .then((tag) => console.log(tag))
    .catch((error) => {
      console.error(error.message);
      process.exit(1);
    });
}
