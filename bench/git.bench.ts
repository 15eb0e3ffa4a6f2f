// Issue 13's figures: source control. Berth from source (the test server, in this process) with
// one project in a real workspace container holding a 5,000-file repository.
// (1) GET …/git/status with 50 changed files, next to `git status --porcelain` in the same
// container in the same run, two ways: a fresh `docker exec` per call (what Berth pays too) and
// a long-lived shell (git alone, no exec start-up). Interleaved, one of each per round.
// (2) stage + commit of 50 changed files: POST …/git/stage then POST …/git/commit, next to
// `git add` + `git commit` of 50 files in the long-lived shell.
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { containerName } from '../server/runtime/docker/names';
import type { GitStatusDto } from '../server/contracts';
import { call, type TestServer, type TestUser } from '../server/test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../server/test-support/project-fixture';
import { runBench } from './lib/cleanup';
import { benchDocker } from './lib/docker';
import { writeSection } from './lib/results';
import { openShell, type Shell } from './lib/shell';
import { ms, rounded, summarize, timed } from './lib/stats';
import { p50GoalRow, printTable, SUMMARY_HEADER, summaryRow, verdict } from './lib/table';

const FILES = 5_000;
const CHANGES = 50;
const STATUS_RUNS = 40;
const STATUS_WARMUP = 3;
const COMMIT_ROUNDS = 15;
const COMMIT_WARMUP = 2;
const GOAL_STATUS_P50_MS = 150;
const GOAL_COMMIT_P50_MS = 300;
const STEP_TIMEOUT_MS = 60_000;

const changedPaths = Array.from({ length: CHANGES }, (_, i) => `src/d${(i * 97) % 50}/f${i * 97}.txt`);

await runBench('git', async (defer) => {
  console.log('── git: Berth from source, one workspace container');
  const fixture = await openProjectFixture({ name: 'Git bench', running: true });
  defer('close the server and its project', () => closeProjectFixture(fixture));
  const { t, user, project } = fixture;
  const gitBase = `/api/v1/projects/${project.id}/git`;

  const docker = benchDocker();
  const container = docker.getContainer(containerName(project.id));
  const shell = await openShell(docker, container, STEP_TIMEOUT_MS);
  defer('close the shell', () => shell.close());
  const identity = '-c user.name=Bench -c user.email=bench@example.test -c core.hooksPath=/dev/null';

  console.log(`── git: a repository of ${FILES} files, committed`);
  await must(
    shell,
    `git init -q -b main && mkdir -p src/d{0..49} && for i in $(seq 0 ${FILES - 1}); do echo "file $i" > src/d$((i % 50))/f$i.txt; done`,
  );
  await must(shell, `git add -A && git ${identity} commit -q -m 'Five thousand files'`);
  const tracked = Number((await must(shell, 'git ls-files | wc -l')).trim());
  console.log(`  ${tracked} files tracked`);

  // ── (1) status with 50 changes ──
  await must(shell, changedPaths.map((path) => `echo changed >> ${path}`).join('; '));
  const first = await api<GitStatusDto>(t, user, 'GET', `${gitBase}/status`);
  if (first.changes.length !== CHANGES) throw new Error(`status shows ${first.changes.length} changes, not ${CHANGES}`);
  console.log(`── git: (1) ${STATUS_WARMUP} warm-up, then ${STATUS_RUNS} rounds of status, interleaved`);
  const status = { berth: [] as number[], exec: [] as number[], shell: [] as number[] };
  for (let i = 0; i < STATUS_WARMUP + STATUS_RUNS; i++) {
    const berth = await timed(() => api<GitStatusDto>(t, user, 'GET', `${gitBase}/status`));
    if (berth.value.changes.length !== CHANGES) throw new Error('status changed under the bench');
    const exec = await timed(() => execOnce(container, ['git', 'status', '--porcelain']));
    if (exec.value.split('\n').filter(Boolean).length !== CHANGES)
      throw new Error(`docker exec git status: ${exec.value}`);
    const sent = performance.now();
    const inShell = await shell.run('git status --porcelain | wc -l');
    if (Number(inShell.output.trim()) !== CHANGES) throw new Error(`shell git status: ${inShell.output}`);
    if (i < STATUS_WARMUP) continue;
    status.berth.push(berth.ms);
    status.exec.push(exec.ms);
    status.shell.push(inShell.at - sent);
  }

  // ── (2) stage + commit of 50 files ──
  console.log(
    `── git: (2) ${COMMIT_WARMUP} warm-up, then ${COMMIT_ROUNDS} rounds of stage + commit of ${CHANGES} files`,
  );
  const commit = { berth: [] as number[], shell: [] as number[] };
  const quoted = changedPaths.join(' ');
  for (let round = 0; round < COMMIT_WARMUP + COMMIT_ROUNDS; round++) {
    await must(shell, changedPaths.map((path) => `echo "round ${round}" >> ${path}`).join('; '));
    const started = performance.now();
    await api(t, user, 'POST', `${gitBase}/stage`, { paths: changedPaths });
    await api(t, user, 'POST', `${gitBase}/commit`, { message: `Round ${round}` });
    const berthMs = performance.now() - started;

    await must(shell, changedPaths.map((path) => `echo "shell ${round}" >> ${path}`).join('; '));
    const sent = performance.now();
    const done = await shell.run(`git add -- ${quoted} && git ${identity} commit -q -m 'Shell ${round}'`);
    if (done.status !== 0) throw new Error(`shell commit failed: ${done.output}`);
    if (round < COMMIT_WARMUP) continue;
    commit.berth.push(berthMs);
    commit.shell.push(done.at - sent);
  }
  const after = await api<GitStatusDto>(t, user, 'GET', `${gitBase}/status`);
  if (after.changes.length + after.staged.length !== 0) throw new Error('changes left after the commit rounds');

  const s = { berth: summarize(status.berth), exec: summarize(status.exec), shell: summarize(status.shell) };
  printTable(
    `Source control 1 — status of a ${tracked}-file repository with ${CHANGES} changed files, ${STATUS_RUNS} rounds (${STATUS_WARMUP} warm-up), interleaved`,
    SUMMARY_HEADER,
    [
      p50GoalRow('Berth: GET …/git/status (parsed JSON)', s.berth, GOAL_STATUS_P50_MS),
      summaryRow('baseline: docker exec git status --porcelain', s.exec),
      summaryRow('baseline: git status --porcelain in a live shell', s.shell),
    ],
    [
      `Berth − docker exec at p50: ${ms(s.berth.p50 - s.exec.p50)} (HTTP, session and ownership checks, the sh wrapper that splits stderr, porcelain v2 parse).`,
      'Berth runs one `docker exec` per git command, as the workspace user; the live shell has no exec start-up.',
    ],
  );
  const c = { berth: summarize(commit.berth), shell: summarize(commit.shell) };
  printTable(
    `Source control 2 — stage + commit of ${CHANGES} changed files, ${COMMIT_ROUNDS} rounds (${COMMIT_WARMUP} warm-up)`,
    SUMMARY_HEADER,
    [
      p50GoalRow('Berth: POST …/git/stage + POST …/git/commit', c.berth, GOAL_COMMIT_P50_MS),
      summaryRow('baseline: git add + git commit in a live shell', c.shell),
    ],
    [
      'Berth: stage = git add + git status (the answer is the new status); commit = git commit + git log -1 (the answer is the commit); each request is one docker exec running both.',
    ],
  );
  writeSection('git', {
    repositoryFiles: tracked,
    changes: CHANGES,
    status: {
      berth: { ...rounded(s.berth), verdict: verdict(s.berth.p50, GOAL_STATUS_P50_MS) },
      dockerExec: rounded(s.exec),
      liveShell: rounded(s.shell),
      goalP50Ms: GOAL_STATUS_P50_MS,
    },
    stageCommit: {
      berth: { ...rounded(c.berth), verdict: verdict(c.berth.p50, GOAL_COMMIT_P50_MS) },
      liveShell: rounded(c.shell),
      goalP50Ms: GOAL_COMMIT_P50_MS,
    },
  });
});

async function must(shell: Shell, command: string): Promise<string> {
  const done = await shell.run(command, STEP_TIMEOUT_MS);
  if (done.status !== 0) throw new Error(`\`${command.slice(0, 200)}\` failed (${done.status}): ${done.output}`);
  return done.output;
}

async function api<T = unknown>(t: TestServer, user: TestUser, method: string, route: string, body?: unknown) {
  const response = await call(t.baseUrl, method, route, { cookie: user.cookie }, body);
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** One `docker exec` as the workspace user in /workspace; resolves with its stdout once it has ended. */
async function execOnce(container: Dockerode.Container, command: string[]): Promise<string> {
  const exec = await container.exec({
    Cmd: command,
    AttachStdout: true,
    AttachStderr: true,
    User: '1000:1000',
    WorkingDir: '/workspace',
  });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    // Multiplexed frames: an 8-byte header (stream, size) before each payload.
    let pending = Buffer.alloc(0);
    stream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8) {
        const size = pending.readUInt32BE(4);
        if (pending.length < 8 + size) break;
        if (pending[0] === 1) chunks.push(pending.subarray(8, 8 + size));
        pending = pending.subarray(8 + size);
      }
    });
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  return Buffer.concat(chunks).toString('utf8');
}
