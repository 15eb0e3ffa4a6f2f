// The project side of the snapshot bench (issue 6): a generated project of 1,000 files / 10 MB
// written inside the workspace by a small Node script (source-like text that compresses, plus
// 10 % random bytes that do not), snapshot and duplicate calls through REST with the bearer
// token, a tree checksum through the shell, and a workspace start timed from `workspace:open`
// to the 'running' push (with that push, to read `restoredFrom`).
import type Dockerode from 'dockerode';
import type { ProjectDto, SnapshotDto, WorkspaceStatusDto } from '../../server/contracts';
import { containerName, volumeName } from '../../server/runtime/docker/names';
import { call, type BenchSocket } from './bench-socket';
import type { BenchServer } from './berth';
import { statusOf } from './docker';
import type { Shell } from './shell';

export const GEN_DIR = 'gen';
export const GEN_FILES = 1_000;
/** 10 MiB over 1,000 files. */
export const GEN_FILE_BYTES = 10_486;
/** Every tenth file is random bytes (incompressible: images, archives, lockfile-like noise). */
export const GEN_RANDOM_EVERY = 10;

/** Path of generated file `i` (0-based): gen/pkgNN/modNN/fileNN.ts, or .bin for the random ones. */
export function genPath(i: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const ext = i % GEN_RANDOM_EVERY === GEN_RANDOM_EVERY - 1 ? 'bin' : 'ts';
  return `${GEN_DIR}/pkg${two(Math.floor(i / 100))}/mod${two(Math.floor(i / 10) % 10)}/file${two(i % 10)}.${ext}`;
}

// Runs inside the container (node is in the image), or in a local folder (the sync bench). A seeded generator: the same text for the
// same seed, each file unique (its index is in its first line), so no two blobs are shared;
// projects with different seeds share no text either.
export const GENERATOR = String.raw`
const fs = require('fs'), path = require('path'), crypto = require('crypto')
const [files, bytes, every, seedArg] = process.argv.slice(2).map(Number)
let seed = seedArg
const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n)
const words = 'user project file snapshot state value index count name path size item list map key data token result error event handler request response buffer stream config option table row column query cache blob manifest entry folder parent child render update create delete open close start stop read write parse format'.split(' ')
const types = ['number', 'string', 'boolean', 'Date', 'Buffer', 'unknown', 'string[]', 'Map<string, number>']
const word = () => words[rnd(words.length)]
const ident = () => word() + word()[0].toUpperCase() + word().slice(1)
function source(i) {
  let out = '// generated module ' + i + ' for the snapshot bench\nimport { ' + ident() + ', ' + ident() + " } from '../lib/" + word() + "'\n\n"
  while (out.length < bytes) {
    const f = ident(), a = word(), b = word() + 'Of', c = ident()
    out += 'export function ' + f + '(' + a + ': ' + types[rnd(types.length)] + ', ' + b + ': ' + types[rnd(types.length)] + '): ' + types[rnd(types.length)] + ' {\n'
    out += '  const ' + c + ' = ' + a + ' ?? ' + rnd(1000) + '\n'
    out += '  if (!' + c + ') throw new Error(' + "'" + word() + ' ' + word() + ' is missing' + "'" + ')\n'
    out += '  for (const ' + word() + ' of ' + b + ') ' + ident() + '(' + c + ', ' + rnd(100) + ')\n'
    out += '  return { ' + a + ', ' + b + ', ' + c + ' }\n}\n\n'
  }
  return Buffer.from(out).subarray(0, bytes)
}
for (let i = 0; i < files; i++) {
  const two = (n) => String(n).padStart(2, '0')
  const random = i % every === every - 1
  const file = path.join('gen', 'pkg' + two(Math.floor(i / 100)), 'mod' + two(Math.floor(i / 10) % 10), 'file' + two(i % 10) + (random ? '.bin' : '.ts'))
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, random ? crypto.randomBytes(bytes) : source(i))
}
`;

/** Writes the generated project into /workspace/gen; checks the file count and total size. */
export async function generateProject(
  shell: Shell,
  seed: number,
): Promise<{ files: number; bytes: number; ms: number }> {
  const script = Buffer.from(GENERATOR).toString('base64');
  const started = performance.now();
  const made = await shell.run(
    `rm -rf ${GEN_DIR} && echo ${script} | base64 -d > /tmp/gen.js && node /tmp/gen.js ${GEN_FILES} ${GEN_FILE_BYTES} ${GEN_RANDOM_EVERY} ${seed} && sync`,
    120_000,
  );
  const ms = made.at - started;
  if (made.status !== 0) throw new Error(`generating the project failed (${made.status}): ${made.output.slice(-300)}`);
  const counted = await shell.run(
    `find ${GEN_DIR} -type f | wc -l; du -sb --apparent-size ${GEN_DIR} | cut -f1; find ${GEN_DIR} -type f -printf '%s\\n' | awk '{s+=$1} END {print s}'`,
  );
  const [files, , bytes] = counted.output.trim().split('\n').map(Number);
  if (files !== GEN_FILES || bytes !== GEN_FILES * GEN_FILE_BYTES)
    throw new Error(`generated ${files} files / ${bytes} bytes, expected ${GEN_FILES} / ${GEN_FILES * GEN_FILE_BYTES}`);
  return { files: files!, bytes: bytes!, ms };
}

/** sha256 over every generated file's path and content (the tree's identity), and its file count. */
export async function treeChecksum(shell: Shell): Promise<string> {
  const sum = await shell.run(
    `cd /workspace && find ${GEN_DIR} -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1; find ${GEN_DIR} -type f | wc -l`,
    60_000,
  );
  if (sum.status !== 0) throw new Error(`checksum failed (${sum.status})`);
  return sum.output.trim().replace('\n', ' / ') + ' files';
}

/** Times a shell command from writing its line to its end marker; throws on a non-zero status. */
export async function timeShell(shell: Shell, command: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  const result = await shell.run(command, timeoutMs);
  if (result.status !== 0) throw new Error(`\`${command}\` failed (${result.status}): ${result.output.slice(-300)}`);
  return result.at - started;
}

async function rest<T>(
  bench: BenchServer,
  method: string,
  path: string,
  body: unknown,
  expect: number,
  timeoutMs = 120_000,
): Promise<T> {
  const res = await fetch(`${bench.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${bench.user.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** POST /snapshots (a manual snapshot of the running workspace): the DTO and the round trip. */
export async function takeSnapshot(
  bench: BenchServer,
  projectId: string,
  label?: string,
): Promise<{ snapshot: SnapshotDto; ms: number }> {
  const started = performance.now();
  const snapshot = await rest<SnapshotDto>(
    bench,
    'POST',
    `/api/v1/projects/${projectId}/snapshots`,
    label ? { label } : {},
    201,
  );
  return { snapshot, ms: performance.now() - started };
}

export async function duplicateProject(
  bench: BenchServer,
  projectId: string,
): Promise<{ project: ProjectDto; ms: number }> {
  const started = performance.now();
  const project = await rest<ProjectDto>(bench, 'POST', `/api/v1/projects/${projectId}/duplicate`, undefined, 201);
  return { project, ms: performance.now() - started };
}

/**
 * `workspace:open` (or `workspace:start` when the socket already opened it) until the
 * 'running' push: the time and that push (restoredFrom is set when the start restored the
 * latest snapshot into a new volume).
 */
export async function openUntilRunning(
  socket: BenchSocket,
  projectId: string,
  event: 'workspace:open' | 'workspace:start',
  timeoutMs = 120_000,
): Promise<{ ms: number; status: WorkspaceStatusDto }> {
  let onStatus: ((status: WorkspaceStatusDto) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const running = new Promise<{ at: number; status: WorkspaceStatusDto }>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`workspace ${projectId} not running within ${timeoutMs} ms`)), timeoutMs);
    onStatus = (status) => {
      if (status.projectId !== projectId) return;
      if (status.state === 'running') resolve({ at: performance.now(), status });
      else if (status.state === 'error')
        reject(new Error(`workspace ${projectId} failed: ${status.error?.code}: ${status.error?.message}`));
    };
    socket.on('workspace:status', onStatus);
  });
  running.catch(() => undefined);
  try {
    const started = performance.now();
    const answered = await call(socket, event, { projectId }, timeoutMs);
    if (answered.state === 'running') return { ms: performance.now() - started, status: answered };
    const { at, status } = await running;
    return { ms: at - started, status };
  } finally {
    clearTimeout(timer);
    if (onStatus) socket.off('workspace:status', onStatus);
  }
}

/** Stops the workspace through Berth (its stop snapshot included), then removes its container and, unless `keepVolume`, its volume. */
export async function dropWorkspace(
  socket: BenchSocket,
  docker: Dockerode,
  projectId: string,
  keepVolume: boolean,
): Promise<void> {
  const stopped = await call(socket, 'workspace:stop', { projectId }, 120_000);
  if (stopped.state !== 'stopped') throw new Error(`workspace:stop answered ${stopped.state}`);
  const gone = (error: unknown) => {
    if (statusOf(error) !== 404) throw error;
  };
  await docker.getContainer(containerName(projectId)).remove({ force: true, v: false }).catch(gone);
  if (!keepVolume) await docker.getVolume(volumeName(projectId)).remove().catch(gone);
}
