// `npm run bench -- deploy` (issue 14): (1) a deploy of the Vite template, build included, from
// POST …/deployments to 'live', over a snapshot taken once (goal p50 < 20 s); (2) a rollback to a
// kept image, POST …/rollback to 'live' (goal p50 < 2 s), beside a bare `docker create`+`start` of
// the same image to its first HTTP answer; (3) requests/s to the deployment through Berth's
// d-<projectId>-production host, direct to the container's port, and through a bare TCP pipe in
// its own process (goal: Berth ≥ 80 % of direct; the pipe's share is printed too: on 2 cores it
// is the floor of any proxy). autocannon runs in this process and shares the cores.
import { loadavg } from 'node:os';
import type { DeploymentDto } from '../server/contracts';
import { deploymentContainerName } from '../server/runtime/docker/deployment-names';
import { createProject, startBenchServer, type BenchServer } from './lib/berth';
import { runBench } from './lib/cleanup';
import { prepareDocker } from './lib/docker';
import { median, throughput, type Throughput } from './lib/http-load';
import { writeSection } from './lib/results';
import type { HttpTarget } from './lib/static-page';
import { ms, rounded, summarize } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow, verdict } from './lib/table';
import { startTcpPipe } from './lib/tcp-pipe';

const DEPLOY_RUNS = 3;
const ROLLBACK_RUNS = 5;
const GOAL_DEPLOY_MS = 20_000;
const GOAL_ROLLBACK_MS = 2_000;
const GOAL_SHARE = 0.8;
const CONNECTIONS = 10;
const ROUNDS = 5;
const ROUND_SECONDS = 4;
const WARMUP_SECONDS = 2;
const APP_PORT = 3000;

await runBench('deploy', async (defer) => {
  console.log('── deploy: production build, Docker engine and workspace image');
  const { docker, image } = await prepareDocker(defer);
  const bench = await startBenchServer('deploy', image, defer, { DEPLOYMENTS_MAX_PER_USER: '0' });
  // Deployment containers and images of this scope go before the server's own clean-up.
  defer('remove the deployments', async () => {
    const label = `berth.scope=${bench.scope}`;
    for (const info of await docker.listContainers({ all: true, filters: { label: [label] } }))
      if (info.Labels['berth.deployment'])
        await docker
          .getContainer(info.Id)
          .remove({ force: true })
          .catch(() => undefined);
    for (const info of await docker.listImages({ filters: { label: [label] } }))
      await docker
        .getImage(info.Id)
        .remove({ force: true })
        .catch(() => undefined);
  });
  const { project } = await createProject(bench, docker, 'Bench deploy', defer, 'vite-react');
  const api = apiOf(bench, `/api/v1/projects/${project.id}/environments/production`);

  // ── (1) deploys ──
  console.log('── deploy: first deploy (takes the snapshot; not timed)');
  const first = await api.deployAndWait('/deployments', {});
  const deployMs: number[] = [];
  const deployed: DeploymentDto[] = [first.dto];
  for (let run = 0; run < DEPLOY_RUNS; run++) {
    const { dto, ms: took } = await api.deployAndWait('/deployments', { snapshotId: first.dto.snapshotId });
    deployMs.push(took);
    deployed.push(dto);
    console.log(`  deploy ${run + 1}: ${ms(took)}`);
  }

  // ── (2) rollbacks, and the bare start beside them ──
  const rollbackMs: number[] = [];
  for (let run = 0; run < ROLLBACK_RUNS; run++) {
    // Alternately to the two before the newest: always a kept image not serving now.
    const target = deployed[deployed.length - 2 - (run % 2)]!;
    const { ms: took } = await api.deployAndWait(`/deployments/${target.id}/rollback`, {});
    rollbackMs.push(took);
    console.log(`  rollback ${run + 1}: ${ms(took)}`);
  }
  const bareMs: number[] = [];
  for (let run = 0; run < ROLLBACK_RUNS; run++) {
    const started = performance.now();
    const container = await docker.createContainer({
      Image: `berth-deploy:${first.dto.id}`,
      Env: [`PORT=${APP_PORT}`],
      HostConfig: { PortBindings: { [`${APP_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    try {
      await container.start();
      const port = (await container.inspect()).NetworkSettings.Ports[`${APP_PORT}/tcp`]![0]!.HostPort;
      await firstAnswer(`http://127.0.0.1:${port}/`);
      bareMs.push(performance.now() - started);
    } finally {
      await container.remove({ force: true });
    }
  }

  // ── (3) throughput ──
  const serving = await docker.getContainer(deploymentContainerName((await api.current()).id)).inspect();
  const ip = Object.values(serving.NetworkSettings.Networks).find((network) => network.IPAddress)!.IPAddress;
  const pipe = await startTcpPipe(ip, APP_PORT, defer);
  const berthPort = Number(new URL(bench.base).port);
  const host = `d-${project.id}-production.localhost:${berthPort}`;
  const order: HttpTarget[] = [
    { name: 'direct', hostname: ip, port: APP_PORT, headers: {} },
    { name: 'pipe', hostname: '127.0.0.1', port: pipe.port, headers: {} },
    { name: 'berth', hostname: '127.0.0.1', port: berthPort, headers: { host } },
  ];
  const loadBefore = loadavg()[0]!;
  for (const target of order) await throughput(target, CONNECTIONS, WARMUP_SECONDS);
  const rounds = new Map<string, Throughput[]>(order.map((target) => [target.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
    for (const target of rotated) {
      const result = await throughput(target, CONNECTIONS, ROUND_SECONDS);
      rounds.get(target.name)!.push(result);
      console.log(`  round ${round + 1} ${target.name.padEnd(6)} ${result.rps.toFixed(0).padStart(6)} req/s`);
    }
  }
  const rps = (name: string) => median(rounds.get(name)!.map((result) => result.rps));
  const load = { direct: rps('direct'), pipe: rps('pipe'), berth: rps('berth') };
  const share = load.berth / load.direct;
  const pipeShare = load.pipe / load.direct;

  const deploySummary = summarize(deployMs);
  const rollbackSummary = summarize(rollbackMs);
  const bareSummary = summarize(bareMs);
  printTable(
    'deploy: times (POST to live)',
    SUMMARY_HEADER,
    [
      summaryRow(
        'Vite template deploy (build included)',
        deploySummary,
        `p50 < ${GOAL_DEPLOY_MS / 1000} s`,
        verdict(deploySummary.p50, GOAL_DEPLOY_MS),
      ),
      summaryRow(
        'rollback to a kept image',
        rollbackSummary,
        `p50 < ${GOAL_ROLLBACK_MS / 1000} s`,
        verdict(rollbackSummary.p50, GOAL_ROLLBACK_MS),
      ),
      summaryRow('baseline: bare docker create+start → first HTTP answer', bareSummary),
    ],
    [`Rollback adds ${ms(rollbackSummary.p50 - bareSummary.p50)} at p50 to a bare start of the same image.`],
  );
  const pct = (value: number) => `${(value * 100).toFixed(0)} %`;
  printTable(
    `deploy: requests/s to the deployment (${CONNECTIONS} connections, median of ${ROUNDS} × ${ROUND_SECONDS} s; load ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)})`,
    ['what', 'req/s', 'of direct', 'goal', 'verdict'],
    [
      [
        'Berth deployment host (d-…)',
        load.berth.toFixed(0),
        pct(share),
        `≥ ${pct(GOAL_SHARE)} of direct`,
        share >= GOAL_SHARE ? 'PASS' : 'MISS',
      ],
      ['floor: bare TCP pipe (own process)', load.pipe.toFixed(0), pct(pipeShare), '—', '—'],
      ['direct to the container port', load.direct.toFixed(0), '100 %', '—', '—'],
    ],
    [`Berth is ${pct(load.berth / load.pipe)} of the bare pipe.`],
  );
  writeSection('deploy', {
    deployMs: rounded(deploySummary, 0),
    rollbackMs: rounded(rollbackSummary, 0),
    bareStartMs: rounded(bareSummary, 0),
    requestsPerSecond: { direct: Math.round(load.direct), pipe: Math.round(load.pipe), berth: Math.round(load.berth) },
    shareOfDirect: Math.round(share * 1000) / 1000,
    pipeShareOfDirect: Math.round(pipeShare * 1000) / 1000,
    goals: { deployP50Ms: GOAL_DEPLOY_MS, rollbackP50Ms: GOAL_ROLLBACK_MS, shareOfDirect: GOAL_SHARE },
  });
});

function apiOf(bench: BenchServer, base: string) {
  const headers = { Authorization: `Bearer ${bench.user.token}`, 'Content-Type': 'application/json' };
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${bench.base}${base}${path}`, { headers });
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    /** POSTs, then polls until the deployment is no longer under way; throws unless it went live. */
    async deployAndWait(path: string, body: unknown): Promise<{ dto: DeploymentDto; ms: number }> {
      const started = performance.now();
      const response = await fetch(`${bench.base}${base}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      if (response.status !== 202) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
      const { id } = (await response.json()) as { id: string };
      for (;;) {
        const dto = await get<DeploymentDto>(`/deployments/${id}`);
        if (dto.status === 'live') return { dto, ms: performance.now() - started };
        if (!['queued', 'building', 'starting'].includes(dto.status))
          throw new Error(`deployment ${id} ended ${dto.status}: ${dto.error}\n${dto.buildLog.slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async current(): Promise<{ id: string }> {
      const list = await fetch(`${bench.base}${base.replace(/\/production$/, '')}`, { headers });
      const environments = (await list.json()) as { name: string; current: { id: string } | null }[];
      return environments.find((environment) => environment.name === 'production')!.current!;
    },
  };
}

async function firstAnswer(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url}: no answer in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
