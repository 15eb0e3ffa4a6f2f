// Issue 7's figures, Berth's own image: its size (next to its base's), `docker run` → /api/ready
// on an empty data volume (embedded PostgreSQL's initdb included) and after `docker restart`,
// and the one that matters to a person — `docker restart` of Berth → the same terminal live
// again (attached, its shell answering), goal < 5 s. Baseline in the same run: a bare
// container of the same base from `docker run` to its first output.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { io } from 'socket.io-client';
import type { Ack, ProjectDto, TerminalAttachDto, WorkspaceStatusDto } from '../server/contracts';
import { createSignedInUser } from '../server/test-support/api-test-server';
import { buildBerthImage } from '../scripts/berth-image.mjs';
import { resolveBase } from '../scripts/workspace-image.mjs';
import { runBench } from './lib/cleanup';
import { freePort, sleep } from './lib/process';
import { writeSection } from './lib/results';
import { ms, summarize } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow, verdict } from './lib/table';

const RUNS = 3;
const GOAL_BACK_MS = 5000;
const docker = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8' });
/** Polls until the URL answers 200. */
async function waitForOk(target: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(target).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await sleep(25);
  }
  throw new Error(`${target} did not answer within ${timeoutMs} ms`);
}

const sizeOf = (image: string) => Number(docker('image', 'inspect', '--format', '{{.Size}}', image).stdout.trim());

type Client = ReturnType<typeof io>;
const ask = <T>(socket: Client, event: string, payload: unknown) =>
  new Promise<T>((resolve, reject) =>
    socket
      .timeout(30_000)
      .emit(event, payload, (error: Error | null, ack: Ack<T>) =>
        error ? reject(error) : ack.ok ? resolve(ack.data) : reject(new Error(ack.error.message)),
      ),
  );

async function connect(base: string, token: string, timeoutMs = 60_000): Promise<Client> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const socket = io(base, {
      transports: ['websocket'],
      extraHeaders: { Authorization: `Bearer ${token}` },
      reconnection: false,
      forceNew: true,
    });
    const ok = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('connect_error', () => resolve(false));
    });
    if (ok) return socket;
    socket.close();
    if (Date.now() > deadline) throw new Error('Berth did not take a socket again');
    await sleep(50);
  }
}

/** Types `echo <word>-$((40+2))` and resolves once the shell's answer (`<word>-42`) is on screen. */
function echo(socket: Client, terminalId: string, word: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onOutput = (payload: { terminalId: string; data: string }, ack?: () => void) => {
      ack?.();
      if (payload.terminalId !== terminalId) return;
      text += payload.data;
      if (!text.includes(`${word}-42`)) return;
      clearTimeout(timer);
      socket.off('terminal:output', onOutput);
      resolve();
    };
    const timer = setTimeout(() => reject(new Error(`no answer to ${word} from the shell`)), 30_000);
    socket.on('terminal:output', onOutput);
    ask(socket, 'terminal:input', { terminalId, data: `echo ${word}-$((40+2))\r` }).catch(reject);
  });
}

await runBench('image', async (defer) => {
  console.log('── image: building berth:latest (npm run image)');
  const built = await buildBerthImage();
  const base = await resolveBase();
  const id = randomBytes(4).toString('hex');
  const name = `berth-bench-image-${id}`;
  const scope = `bench-image-${id}`;
  const port = await freePort();
  const url = `http://localhost:${port}`;
  defer('remove the Berth container, its volume and its workspaces', () => {
    docker('rm', '-f', name);
    for (let run = 0; run < RUNS; run++) docker('volume', 'rm', '-f', `${name}-${run}`);
    const ids = docker('ps', '-aq', '--filter', `label=berth.scope=${scope}`).stdout.split('\n').filter(Boolean);
    if (ids.length) docker('rm', '-f', ...ids);
    for (const kind of ['volume', 'network'] as const) {
      const found = docker(kind, 'ls', '-q', '--filter', `label=berth.scope=${scope}`)
        .stdout.split('\n')
        .filter(Boolean);
      if (found.length) docker(kind, 'rm', ...found);
    }
  });
  const runBerth = (volume: string) =>
    execFileSync('docker', [
      'run',
      '-d',
      '--name',
      name,
      '--group-add',
      String(statSync('/var/run/docker.sock').gid),
      '-v',
      '/var/run/docker.sock:/var/run/docker.sock',
      '-v',
      `${volume}:/data`,
      '-p',
      `127.0.0.1:${port}:3000`,
      '-e',
      `BERTH_URL=${url}`,
      '-e',
      `WORKSPACE_SCOPE=${scope}`,
      '-e',
      'LOG_LEVEL=warn',
      built.tag,
    ]);

  console.log(
    `── image: (1) ${RUNS}× docker run on an empty volume → /api/ready, next to a bare ${base} container's first output`,
  );
  const cold: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let started = performance.now();
    runBerth(`${name}-${run}`);
    await waitForOk(`http://127.0.0.1:${port}/api/ready`, 60_000);
    cold.push(performance.now() - started);
    if (run < RUNS - 1) docker('rm', '-f', name);
    started = performance.now();
    execFileSync('docker', ['run', '--rm', base, 'node', '-e', 'console.log(1)']);
    bare.push(performance.now() - started);
  }

  console.log(`── image: (2) ${RUNS}× docker restart of Berth → the same terminal answering again`);
  const user = await createSignedInUser(`http://127.0.0.1:${port}`);
  const tokenResponse = await fetch(`http://127.0.0.1:${port}/api/v1/tokens`, {
    method: 'POST',
    headers: { Cookie: user.cookie, Origin: url, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  const { token } = (await tokenResponse.json()) as { token: string };
  const project = (await (
    await fetch(`http://127.0.0.1:${port}/api/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Bench image', template: 'blank-node' }),
    })
  ).json()) as ProjectDto;
  let socket = await connect(`http://127.0.0.1:${port}`, token);
  // Opening starts the workspace; creating a terminal waits until it runs.
  await ask<WorkspaceStatusDto>(socket, 'workspace:open', { projectId: project.id });
  const terminal = await ask<TerminalAttachDto>(socket, 'terminal:create', {
    projectId: project.id,
    cols: 80,
    rows: 24,
  });
  await echo(socket, terminal.id, 'first');
  const back: number[] = [];
  const ready: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    socket.close();
    const started = performance.now();
    execFileSync('docker', ['restart', '-t', '30', name]);
    await waitForOk(`http://127.0.0.1:${port}/api/ready`, 60_000);
    ready.push(performance.now() - started);
    socket = await connect(`http://127.0.0.1:${port}`, token);
    await ask(socket, 'terminal:attach', { terminalId: terminal.id });
    await echo(socket, terminal.id, `back${run}`);
    back.push(performance.now() - started);
  }
  socket.close();

  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  printTable(
    'Berth image (issue 7)',
    SUMMARY_HEADER,
    [
      summaryRow('docker run (empty volume) → /api/ready', summarize(cold)),
      summaryRow(`  baseline: bare ${base} → first output`, summarize(bare)),
      summaryRow('docker restart → /api/ready', summarize(ready)),
      summaryRow(
        'docker restart → same terminal answering',
        summarize(back),
        '< 5 s',
        verdict(summarize(back).p50, GOAL_BACK_MS),
      ),
    ],
    [
      `image ${built.tag}: ${mb(built.bytes)} (base ${base}: ${mb(sizeOf(base))})`,
      `restart runs: ${back.map(ms).join(', ')}`,
    ],
  );
  writeSection('image', {
    imageBytes: built.bytes,
    baseBytes: sizeOf(base),
    coldReadyMs: summarize(cold),
    bareMs: summarize(bare),
    restartReadyMs: summarize(ready),
    restartTerminalMs: summarize(back),
  });
});
