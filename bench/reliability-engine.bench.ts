// Docker engine restarts (issue 17, B2): N workspaces, each with a shell holding a variable and
// a dev server, then dockerd is stopped with SIGTERM and started again the way
// scripts/docker-engine.mjs starts it (with live-restore), ROUNDS times. Figures: workspaces
// still running afterwards (same container, never restarted) and the time from the SIGTERM
// until each workspace's terminal echoes again through Berth (the same shell: its variable),
// next to the same run's baseline, the time until `docker info` answers again.
// Berth runs in-process here (server/test-support, real embedded PostgreSQL, real engine): the
// figures are about the engine and Berth's reattaching, not the production bundle.
// It restarts the engine everyone on this machine shares: run it under the heavy lock,
//   flock /tmp/berth-heavy.lock npx tsx bench/reliability-engine.bench.ts
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { ProjectDto, TerminalAttachDto } from '../server/contracts';
import { containerName } from '../server/runtime/docker/names';
import { call, createSignedInUser, startTestServer } from '../server/test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../server/test-support/socket-client';
import { engineLiveRestore, restartDockerd } from '../scripts/docker-engine.mjs';
import { runBench } from './lib/cleanup';
import { writeSection } from './lib/results';
import { rounded, summarize } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow, verdict } from './lib/table';

const WORKSPACES = 3;
const ROUNDS = 2;
const GOAL_ECHO_MS = 5000;
const POLL_MS = 100;
const GIVE_UP_MS = 60_000;
const DEV_SERVER = "require('http').createServer((q,r)=>r.end('up')).listen(3000,()=>console.log('dev-listening'))";

const plain = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\r/g, '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Workspace {
  project: ProjectDto;
  shell: string;
  out: ReturnType<TestSocket['output']>;
  containerId: string;
  startedAt: string;
}

function inspect(projectId: string): { id: string; running: boolean; restarts: number; startedAt: string } | null {
  try {
    const [id, running, restarts, startedAt] = execFileSync(
      'docker',
      [
        'inspect',
        '--format',
        '{{.Id}} {{.State.Running}} {{.RestartCount}} {{.State.StartedAt}}',
        containerName(projectId),
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split(' ');
    return { id: id!, running: running === 'true', restarts: Number(restarts), startedAt: startedAt! };
  } catch {
    return null;
  }
}

/** GET /info on the default socket: true once the engine answers it. */
function engineInfoAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath: '/var/run/docker.sock', path: '/info', timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Milliseconds from `since` until `check` first holds after `begun` resolved, polling every POLL_MS. */
async function timeUntil(since: number, begun: Promise<void>, check: () => Promise<boolean>): Promise<number> {
  await begun;
  for (;;) {
    if (await check()) return performance.now() - since;
    if (performance.now() - since > GIVE_UP_MS) return Number.NaN;
    await sleep(POLL_MS);
  }
}

await runBench('reliability-engine', async (defer) => {
  if ((await engineLiveRestore()) !== true)
    throw new Error(
      'the engine runs without live-restore: start it with scripts/docker-engine.mjs (see README, "Docker engine restarts")',
    );
  const t = await startTestServer();
  defer('stop the Berth server and remove its workspaces', () => t.stop());
  const user = await createSignedInUser(t.baseUrl);
  const tab = await connectAs(t, user);
  defer('close the socket', () => tab.close());
  console.log(
    `── reliability-engine: ${WORKSPACES} workspaces, ${ROUNDS} dockerd restarts (SIGTERM, then started with live-restore)`,
  );

  const workspaces: Workspace[] = [];
  for (let i = 0; i < WORKSPACES; i++) {
    const project = (await (
      await call(
        t.baseUrl,
        'POST',
        '/api/v1/projects',
        { cookie: user.cookie },
        { name: `Engine ${i}`, template: 'blank-node' },
      )
    ).json()) as ProjectDto;
    await openRunningWorkspace(tab, project.id);
    const shell = await tab.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, cols: 100, rows: 30 });
    const out = tab.output(shell.id);
    await tab.ok('terminal:input', { terminalId: shell.id, data: `KEPT=ws-${i}; node -e "${DEV_SERVER}" &\r` });
    await out.until(/dev-listening/);
    const found = inspect(project.id)!;
    workspaces.push({ project, shell: shell.id, out, containerId: found.id, startedAt: found.startedAt });
  }

  const echoSamples: number[] = [];
  const infoSamples: number[] = [];
  const survived: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const since = performance.now();
    // Both clocks start at the SIGTERM; they look once the old dockerd is gone.
    let markStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (markStopped = resolve));
    const restart = restartDockerd({ onStopped: markStopped });
    const info = timeUntil(since, stopped, engineInfoAnswers);
    const echoes = workspaces.map((workspace, index) =>
      timeUntil(since, stopped, async () => {
        await tab.call('terminal:input', { terminalId: workspace.shell, data: `echo "r${round}=$KEPT"\r` });
        return new RegExp(`r${round}=ws-${index}`).test(plain(workspace.out.text()));
      }),
    );
    await restart;
    infoSamples.push(await info);
    const times = await Promise.all(echoes);
    echoSamples.push(...times);
    const still = workspaces.filter((workspace) => {
      const now = inspect(workspace.project.id);
      return (
        now?.running && now.id === workspace.containerId && now.restarts === 0 && now.startedAt === workspace.startedAt
      );
    }).length;
    survived.push(still);
    console.log(
      `  round ${round}: docker info after ${Math.round(infoSamples.at(-1)!)} ms; echo after ${times.map((x) => Math.round(x)).join(', ')} ms; ${still}/${WORKSPACES} still running`,
    );
  }

  const echo = summarize(echoSamples.filter(Number.isFinite));
  const info = summarize(infoSamples);
  const lost = echoSamples.filter((x) => !Number.isFinite(x)).length;
  printTable(
    `Reliability — dockerd restart (SIGTERM → started again with live-restore), ${WORKSPACES} workspaces × ${ROUNDS} rounds`,
    SUMMARY_HEADER,
    [
      summaryRow(
        'Berth: SIGTERM → terminal echoes again (same shell)',
        echo,
        `< ${GOAL_ECHO_MS / 1000} s`,
        verdict(echo.max, GOAL_ECHO_MS),
      ),
      summaryRow('baseline: SIGTERM → `docker info` answers again', info),
    ],
    [
      `Workspaces still running after each restart (same container, RestartCount 0): ${survived.map((n) => `${n}/${WORKSPACES}`).join(', ')} — goal all: ${survived.every((n) => n === WORKSPACES) ? 'PASS' : 'MISS'}`,
      `Terminals that never echoed within ${GIVE_UP_MS / 1000} s: ${lost}. Echo is polled every ${POLL_MS} ms (typed again each time).`,
    ],
  );
  writeSection('reliability-engine', {
    workspaces: WORKSPACES,
    rounds: ROUNDS,
    stillRunning: survived,
    echoAfterRestartMs: {
      ...rounded(echo),
      goalMs: GOAL_ECHO_MS,
      verdict: verdict(echo.max, GOAL_ECHO_MS),
      neverEchoed: lost,
    },
    baselineDockerInfoMs: rounded(info),
  });
});
