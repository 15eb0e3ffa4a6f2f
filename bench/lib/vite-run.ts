// A new Vite + React project through Berth, from the POST to its page in Chromium, the way a
// person gets there: create, open the workspace, "Run" as the preview pane does it
// (components/ide/preview/run-dev.ts), wait for the preview URL of 5173, load it. Timed in
// phases from the terminal output and the previews listing.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type Dockerode from 'dockerode';
import type { PreviewDto } from '../../server/contracts';
import { containerName } from '../../server/runtime/docker/names';
import { call, waitForState, type BenchSocket } from './bench-socket';
import { createProject, type BenchServer } from './berth';
import type { OutputRouter } from './terminal-output';
import type { Defer } from './cleanup';
import { sleep } from './process';

export const VITE_PORT = 5173;
export const VITE_HEADING = 'Vite + React';
/** How often the bench asks for the previews (the IDE asks every 1000 ms; see the notes). */
export const PREVIEW_POLL_MS = 50;
/** berth-install's lines when it copies the image's prepared dependencies. */
const COPYING = /Copying the template's prepared dependencies/;
const COPIED = /Dependencies ready/;
/** `npm run dev` prints this first: the install (copy or npm install) has finished. */
const DEV_STARTS = /> vite-react@\S+ dev/;
/** Vite's banner once it listens ("VITE v7.x  ready in 300 ms"). */
const VITE_READY = /ready in/;

export interface ViteRunPhases {
  /** POST → workspace:status running. */
  createStart: number;
  /** running → berth-install starts (fs:list, terminal:create, login shell, the command). */
  shell: number;
  /** → dependencies in place (berth-install's copy; npm install when it falls back). */
  install: number;
  /** → `npm run dev` prints its banner (npm's own start). */
  npmStart: number;
  /** → Vite's "ready in" at the client. */
  viteUp: number;
  /** → the previews listing names 5173 (the agent's port scan runs every 500 ms). */
  portListed: number;
  /** → the h1 "Vite + React" in Chromium (Vite's dependency pre-bundling and transforms, the proxy). */
  firstPage: number;
  total: number;
}

/** When each pattern first showed in a terminal's output (arrival of the chunk that completed it). */
class OutputMarks {
  private text = '';
  private readonly seen = new Map<RegExp, number>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly patterns: readonly RegExp[]) {}

  push(chunk: string, at: number): void {
    this.text += chunk;
    for (const pattern of this.patterns)
      if (!this.seen.has(pattern) && pattern.test(this.text)) this.seen.set(pattern, at);
    if (this.text.length > 1 << 20) this.text = this.text.slice(-(1 << 16));
    for (const waiter of this.waiters) waiter();
  }

  at(pattern: RegExp): number | undefined {
    return this.seen.get(pattern);
  }

  waitFor(pattern: RegExp, timeoutMs: number, what: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const at = this.seen.get(pattern);
        if (at === undefined) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(at);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `no ${what} in the dev terminal within ${timeoutMs} ms; last output: ${JSON.stringify(this.text.slice(-300))}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

export interface ViteRun {
  projectId: string;
  previewUrl: string;
  phases: ViteRunPhases;
  /** berth-install copied the image's prepared dependencies (no download). */
  copied: boolean;
  /** A second fresh browser context loading the same page: Vite's pre-bundling already done, no browser cache. */
  secondPageMs: number;
  /** Then a third, from the dev server at the container's IP: the same load without Berth's preview proxy. */
  directPageMs: number;
  /** http://<container IP>:5173/ */
  directUrl: string;
  context: BrowserContext;
  page: Page;
  /** DELETE the project (idempotent; also registered with `defer`). */
  remove: () => Promise<number>;
}

export interface ViteRunTarget {
  bench: BenchServer;
  docker: Dockerode;
  socket: BenchSocket;
  router: OutputRouter;
  browser: Browser;
  defer: Defer;
  timeoutMs: number;
}

async function previews(bench: BenchServer, projectId: string): Promise<PreviewDto[]> {
  const res = await fetch(`${bench.base}/api/v1/projects/${projectId}/previews`, {
    headers: { Authorization: `Bearer ${bench.user.token}` },
    signal: AbortSignal.timeout(5_000),
  });
  if (res.status !== 200) throw new Error(`GET previews: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return (await res.json()) as PreviewDto[];
}

/** Polls the previews until `port` is listed; resolves with its URL and when the answer arrived. */
async function waitForPreview(
  bench: BenchServer,
  projectId: string,
  port: number,
  timeoutMs: number,
): Promise<{ url: string; at: number }> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const found = (await previews(bench, projectId)).find((preview) => preview.port === port);
    if (found) return { url: found.url, at: performance.now() };
    await sleep(PREVIEW_POLL_MS);
  }
  throw new Error(`port ${port} not in the previews of ${projectId} within ${timeoutMs} ms`);
}

export async function runViteProject(target: ViteRunTarget, name: string): Promise<ViteRun> {
  const { bench, docker, socket, router, browser, defer, timeoutMs } = target;
  const t0 = performance.now();
  const { project, remove } = await createProject(bench, docker, name, defer, 'vite-react');
  const projectId = project.id;
  const running = waitForState(socket, projectId, 'running', timeoutMs);
  running.catch(() => undefined);
  const opened = await call(socket, 'workspace:open', { projectId });
  const tRunning = opened.state === 'running' ? performance.now() : await running;

  // "Run": the same decision and calls as run-dev.ts.
  const marks = new OutputMarks([COPYING, COPIED, DEV_STARTS, VITE_READY]);
  let terminalId: string | undefined = undefined;
  // Output can beat the create ack: take every terminal's until the id is known (one project at a time).
  router.listenOthers((id, text, at) => {
    if (terminalId === undefined || id === terminalId) marks.push(text, at);
  });
  const entries = await call(socket, 'fs:list', { projectId, path: '' });
  const command = entries.some((entry) => entry.name === 'node_modules')
    ? 'npm run dev'
    : 'berth-install && npm run dev';
  const terminal = await call(socket, 'terminal:create', { projectId, cols: 120, rows: 30, title: 'dev' });
  terminalId = terminal.id;
  await call(socket, 'terminal:input', { terminalId, data: `${command}\r` });
  // Polled from the Run on, as the IDE does: the listing may come before the banner reaches us.
  const listed = waitForPreview(bench, projectId, VITE_PORT, timeoutMs);
  listed.catch(() => undefined);
  const tDevStarts = await marks.waitFor(DEV_STARTS, timeoutMs, '"> vite-react@… dev" (install done)');
  const tReady = await marks.waitFor(VITE_READY, timeoutMs, 'Vite\'s "ready in"');
  const copied = marks.at(COPIED) !== undefined;
  const { url, at: tListed } = await listed;

  const firstPage = await openPage(browser, url, defer, `${projectId} first`, timeoutMs);
  const tPage = performance.now();
  const second = await openPage(browser, url, defer, `${projectId} second`, timeoutMs);
  const secondPageMs = performance.now() - tPage;
  await second.context.close();
  const directUrl = `http://${await containerAddress(docker.getContainer(containerName(projectId)))}:${VITE_PORT}/`;
  const directStart = performance.now();
  const direct = await openPage(browser, directUrl, defer, `${projectId} direct`, timeoutMs);
  const directPageMs = performance.now() - directStart;
  await direct.context.close();

  // Each phase ends when its own event came, or when the previous one ended if that was later;
  // without a copy (npm install fallback) the shell and copy phases fold into the install.
  const ends = [
    tRunning,
    marks.at(COPYING) ?? tRunning,
    marks.at(COPIED) ?? tDevStarts,
    tDevStarts,
    tReady,
    tListed,
    tPage,
  ];
  for (let i = 1; i < ends.length; i++) ends[i] = Math.max(ends[i]!, ends[i - 1]!);
  const lap = (i: number) => ends[i]! - ends[i - 1]!;
  const phases: ViteRunPhases = {
    createStart: tRunning - t0,
    shell: lap(1),
    install: lap(2),
    npmStart: lap(3),
    viteUp: lap(4),
    portListed: lap(5),
    firstPage: lap(6),
    total: tPage - t0,
  };
  return {
    projectId,
    previewUrl: url,
    phases,
    copied,
    secondPageMs,
    directPageMs,
    directUrl,
    context: firstPage.context,
    page: firstPage.page,
    remove,
  };
}

/** A fresh browser context (no cache) on `url` until the template's h1 shows; closed by `defer` at the latest. */
async function openPage(
  browser: Browser,
  url: string,
  defer: Defer,
  label: string,
  timeoutMs: number,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  defer(`close the browser context ${label}`, () => context.close());
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
  await page.getByRole('heading', { name: VITE_HEADING }).waitFor({ timeout: timeoutMs });
  return { context, page };
}
/** The container's address on its (first) network: the host reaches it without Berth. */
export async function containerAddress(container: Dockerode.Container): Promise<string> {
  const info = await container.inspect();
  const address = Object.values(info.NetworkSettings.Networks ?? {}).find((network) => network.IPAddress)?.IPAddress;
  if (!address) throw new Error(`${info.Name} has no IP address`);
  return address;
}
