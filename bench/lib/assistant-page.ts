// The Assistant panel in Chromium for the ai bench: a signed-in page (session cookie) on a
// project's workbench with the panel open, and page-side watches that record — on the page's own
// clock, in a MutationObserver, so with no polling and no round trip to the bench — when Enter was
// pressed in the panel's input and when a condition on the DOM first held (the DOM committed;
// the paint follows in the next frame).
import type { Browser, Page } from '@playwright/test';
import type { BenchServer } from './berth';

/** Page-side helpers; a string, not a function: tsx's keepNames helper (__name) is not in the page. */
const INSTALL = `(() => {
  if (window.__aiBench) return;
  const epoch = () => performance.timeOrigin + performance.now();
  const texts = () => document.querySelectorAll('[data-testid="assistant-text"]');
  window.__aiBench = {
    enterAt: 0,
    watches: {},
    lastText: () => { const all = texts(); return all.length ? all[all.length - 1].textContent : ''; },
    doneCards: (tool) =>
      document.querySelectorAll('[data-testid="assistant-tool-card"][data-tool="' + tool + '"][data-status="done"]').length,
  };
  // The page's requests as Resource Timing sees them (an observer: the buffer of 250 fills up).
  window.__aiBench.requests = [];
  new PerformanceObserver((list) => window.__aiBench.requests.push(...list.getEntries())).observe({ type: 'resource' });
  window.addEventListener('keydown', (event) => {
    const target = event.target;
    if (event.key === 'Enter' && target instanceof HTMLElement && target.dataset.testid === 'assistant-input')
      window.__aiBench.enterAt = epoch();
  }, true);
})()`;

/** Epoch milliseconds with sub-millisecond resolution, comparable with the page's. */
export const nowEpoch = (): number => performance.timeOrigin + performance.now();
/** The bench's performance.now() of an epoch time. */
export const toBenchClock = (epochMs: number): number => epochMs - performance.timeOrigin;

/** A signed-in tab on the project's workbench, its workspace running and the Assistant panel open. */
export async function openAssistantPage(browser: Browser, bench: BenchServer, projectId: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const [name, ...rest] = bench.user.cookie.split('=');
  await context.addCookies([{ name: name!, value: rest.join('='), url: bench.base }]);
  const page = await context.newPage();
  const response = await page.goto(`${bench.base}/p/${projectId}`);
  if (response?.status() !== 200) throw new Error(`GET /p/${projectId}: ${response?.status()}`);
  await page.locator('[data-testid="workspace-status"][data-status="running"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('sidebar-tab-assistant').click();
  await page.getByTestId('assistant-input').waitFor({ timeout: 10_000 });
  await page.evaluate(INSTALL);
  return page;
}

export interface PageWatch {
  /** Resolves with the page's epoch time at which `condition` first held. */
  settled(): Promise<number>;
}

let watchIds = 0;

/** Arms a MutationObserver that settles once the page-side expression `condition` is true. */
export async function watchPage(page: Page, condition: string, timeoutMs: number): Promise<PageWatch> {
  const id = ++watchIds;
  await page.evaluate(`(() => {
    const bench = window.__aiBench;
    const test = () => { try { return Boolean(${condition}); } catch { return false; } };
    bench.watches[${id}] = new Promise((resolve, reject) => {
      const at = () => performance.timeOrigin + performance.now();
      if (test()) return resolve(at());
      const observer = new MutationObserver(() => {
        if (!test()) return;
        const seen = at();
        observer.disconnect();
        clearTimeout(timer);
        resolve(seen);
      });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error(${JSON.stringify(`not within ${timeoutMs} ms: ${condition}`)}));
      }, ${timeoutMs});
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    bench.watches[${id}].catch(() => undefined);
  })()`);
  return {
    settled: () =>
      (page.evaluate(`window.__aiBench.watches[${id}]`) as Promise<number>).catch(async (error: Error) => {
        const panel = await page
          .getByTestId('assistant-panel')
          .innerText({ timeout: 1_000 })
          .catch(() => '?');
        throw new Error(`${error.message}; the panel reads: ${JSON.stringify(panel.slice(-600))}`);
      }),
  };
}

/** When the page's first request to a URL containing `part` after `sinceEpoch` was made, sent, and first answered (epoch ms; Resource Timing, told once the response ended). */
export async function requestTiming(
  page: Page,
  part: string,
  sinceEpoch: number,
): Promise<{ fetchAt: number; sentAt: number; answeredAt: number }> {
  const handle = await page.waitForFunction(
    `(() => {
      const entry = window.__aiBench.requests.find(
        (entry) => entry.name.includes(${JSON.stringify(part)}) && performance.timeOrigin + entry.startTime >= ${sinceEpoch},
      );
      if (!entry) return null;
      const epoch = (at) => performance.timeOrigin + at;
      return { fetchAt: epoch(entry.startTime), sentAt: epoch(entry.requestStart), answeredAt: epoch(entry.responseStart) };
    })()`,
    undefined,
    { timeout: 10_000 },
  );
  return (await handle.jsonValue()) as { fetchAt: number; sentAt: number; answeredAt: number };
}

/** The page expression "the last assistant text contains `needle`". */
export const lastTextHas = (needle: string): string =>
  `window.__aiBench.lastText().includes(${JSON.stringify(needle)})`;
/** The page expression "at least `count` cards of `tool` are done". */
export const doneCardsAtLeast = (tool: string, count: number): string =>
  `window.__aiBench.doneCards(${JSON.stringify(tool)}) >= ${count}`;

/**
 * Types `text` into the panel and presses Enter once it can send; resolves with the page's epoch
 * time of the Enter keydown that sent it. An Enter that sent nothing (the panel was re-rendered
 * under it while the page still loads) is tried again: the request must show in the chat.
 */
export async function sendFromPanel(page: Page, text: string): Promise<number> {
  const input = page.getByTestId('assistant-input');
  const requests = page.getByTestId('assistant-user-message');
  const before = await requests.count();
  for (let attempt = 1; ; attempt++) {
    await input.fill(text);
    // The Send button is back (and enabled) once this tab saw the previous turn end.
    await page.locator('[data-testid="assistant-send"]:not([disabled])').waitFor({ timeout: 10_000 });
    // Watched in the page (a MutationObserver), not by Playwright's waitFor, which polls every
    // animation frame: that made Chromium busy on these 2 cores exactly while Berth served the request.
    const shownWatch = await watchPage(
      page,
      `document.querySelectorAll('[data-testid="assistant-user-message"]').length > ${before}`,
      5_000,
    );
    await input.press('Enter');
    const enterAt = (await page.evaluate('window.__aiBench.enterAt')) as number;
    const shown = await shownWatch.settled().then(
      () => true,
      () => false,
    );
    if (shown) return enterAt;
    if (attempt === 3) throw new Error(`the panel sent nothing after ${attempt} presses of Enter`);
    console.log(`── ai: Enter in the panel sent nothing (attempt ${attempt}); again`);
  }
}

/**
 * How far the page's epoch clock is ahead of the bench's (ms), from the fastest of a few round
 * trips (the error is at most half of that round trip, printed beside it).
 */
export async function pageClockOffset(page: Page): Promise<{ offsetMs: number; errorMs: number }> {
  let best = { offsetMs: 0, errorMs: Infinity };
  for (let i = 0; i < 7; i++) {
    const before = nowEpoch();
    const inPage = (await page.evaluate('performance.timeOrigin + performance.now()')) as number;
    const after = nowEpoch();
    if ((after - before) / 2 < best.errorMs)
      best = { offsetMs: inPage - (before + after) / 2, errorMs: (after - before) / 2 };
  }
  return best;
}
