// Figure 2's measuring: a save of src/App.jsx with a new heading → the heading in the page, with
// two ways to write (Berth's fs:write on the socket; a PUT straight to the agent) and two pages
// (the preview URL through Berth's proxy; the dev server at the container's IP), interleaved.
// Every save is watched on both pages, so each figure has its cross terms: the write path and
// the page path are split.
import type { Agent } from 'node:http';
import type { Page } from '@playwright/test';
import type { AgentEndpoint } from '../../server/runtime';
import { rawPut } from './agent-direct';
import { call, type BenchSocket } from './bench-socket';
import { armHeadingWatch, headingOf } from './browser';
import { sleep } from './process';

export const HMR_SAVES = 20;
export const HMR_WARMUP = 3;
/** Pause after both pages showed a save: Vite's watcher and both HMR clients are idle again. */
const HMR_GAP_MS = 150;
export const APP_PATH = 'src/App.jsx';
const TEMPLATE_HEADING = '<h1>Vite + React</h1>';

export interface HmrSamples {
  /** fs:write emitted → heading in the preview page (the figure). */
  berthPreview: number[];
  /** fs:write emitted → heading in the page loaded from the dev server directly. */
  berthDirectPage: number[];
  /** fs:write emitted → its ack (the write itself). */
  berthAck: number[];
  /** Agent PUT sent → heading in the direct page (the baseline: no socket, no proxy). */
  rawDirectPage: number[];
  /** Agent PUT sent → heading in the preview page. */
  rawPreview: number[];
  /** Agent PUT sent → its response. */
  rawAck: number[];
}

export interface HmrTarget {
  socket: BenchSocket;
  projectId: string;
  http: Agent;
  endpoint: AgentEndpoint;
  preview: Page;
  direct: Page;
  timeoutMs: number;
}

const MARKER = 'berth-bench-no-reload';

/** Marks both pages (a window property and React state) so a full reload would show. */
async function markPages(pages: Page[]): Promise<void> {
  for (const page of pages) {
    await page.evaluate((marker) => Object.assign(window, { __benchMarker: marker }), MARKER);
    await page.getByRole('button').click();
    await page.getByRole('button', { name: 'count is 1' }).waitFor({ timeout: 5_000 });
  }
}

/** Throws unless both pages still carry the marker and the clicked count (HMR, not a reload). */
export async function checkNoReload(pages: Page[]): Promise<void> {
  for (const page of pages) {
    const marker = await page.evaluate(() => (window as unknown as { __benchMarker?: string }).__benchMarker);
    const button = await page.getByRole('button').textContent();
    if (marker !== MARKER || button !== 'count is 1')
      throw new Error(`${page.url()} reloaded during the saves (marker ${String(marker)}, button "${button}")`);
  }
}

export async function measureHmr(target: HmrTarget): Promise<HmrSamples & { navigations: number }> {
  const { socket, projectId, http, endpoint, preview, direct, timeoutMs } = target;
  const source = await call(socket, 'fs:read', { projectId, path: APP_PATH });
  if (source.content === null || !source.content.includes(TEMPLATE_HEADING))
    throw new Error(`${APP_PATH} has no ${TEMPLATE_HEADING}`);
  const original = source.content;
  let version = source.version;
  await markPages([preview, direct]);
  // A reload would be a navigation of the main frame: count them from here on.
  let navigations = 0;
  for (const page of [preview, direct])
    page.on('framenavigated', (frame) => void (frame === page.mainFrame() && navigations++));

  const samples: HmrSamples = {
    berthPreview: [],
    berthDirectPage: [],
    berthAck: [],
    rawDirectPage: [],
    rawPreview: [],
    rawAck: [],
  };
  let n = 0;
  /** One save through `write`; returns ms from the write's start to its ack, and to the heading in each page. */
  const save = async (write: (content: string) => Promise<string>) => {
    const heading = `HMR ${++n}`;
    const content = original.replace(TEMPLATE_HEADING, `<h1>${heading}</h1>`);
    const watches = await Promise.all([
      armHeadingWatch(preview, heading, timeoutMs),
      armHeadingWatch(direct, heading, timeoutMs),
    ]);
    const sent = performance.now();
    const acked = write(content).then((next) => {
      version = next;
      return performance.now() - sent;
    });
    const shown = watches.map((watch) => watch.settled().then(() => performance.now() - sent));
    const [ack, onPreview, onDirect] = await Promise.all([acked, ...shown]);
    await sleep(HMR_GAP_MS);
    return { ack: ack!, onPreview: onPreview!, onDirect: onDirect! };
  };
  const viaBerth = (content: string) =>
    call(socket, 'fs:write', { projectId, path: APP_PATH, content, baseVersion: version }, timeoutMs).then(
      (written) => written.version,
    );
  const viaAgent = (content: string) => rawPut(http, endpoint, APP_PATH, Buffer.from(content), version, timeoutMs);

  for (let i = 0; i < HMR_WARMUP; i++) {
    await save(viaBerth);
    await save(viaAgent);
  }
  // Alternate which goes first, so neither always follows the other's update.
  for (let i = 0; i < HMR_SAVES; i++) {
    const order = i % 2 === 0 ? (['berth', 'agent'] as const) : (['agent', 'berth'] as const);
    for (const kind of order) {
      if (kind === 'berth') {
        const s = await save(viaBerth);
        samples.berthAck.push(s.ack);
        samples.berthPreview.push(s.onPreview);
        samples.berthDirectPage.push(s.onDirect);
      } else {
        const s = await save(viaAgent);
        samples.rawAck.push(s.ack);
        samples.rawDirectPage.push(s.onDirect);
        samples.rawPreview.push(s.onPreview);
      }
    }
  }
  await checkNoReload([preview, direct]);
  const last = `HMR ${n}`;
  for (const page of [preview, direct])
    if ((await headingOf(page)) !== last)
      throw new Error(`${page.url()} shows "${await headingOf(page)}", not "${last}"`);
  return { ...samples, navigations };
}
