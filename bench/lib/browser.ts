// Debian's Chromium through Playwright, for benches that time what a person sees in a page:
// the same launch flags as the e2e tests (playwright.config.ts), closed by `defer`.
import { chromium, type Browser, type Page } from '@playwright/test';
import type { Defer } from './cleanup';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(defer: Defer): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Playwright's own Ctrl-C handling closes the browser and then process.exit(130)s, which
    // would cut runBench's clean-up short (server, PostgreSQL and projects left behind).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  defer('close Chromium', () => browser.close());
  return browser;
}

/** The text of the page's first h1, or null. */
export const headingOf = (page: Page): Promise<string | null> =>
  page.evaluate(() => document.querySelector('h1')?.textContent ?? null);

/**
 * Arms a MutationObserver in the page that settles once the first h1 reads `text` (event-driven:
 * no polling interval, no dependence on requestAnimationFrame in a headless tab). Resolves when
 * armed; `settled()` then resolves when the page saw the text (plus one CDP round trip back).
 */
export async function armHeadingWatch(
  page: Page,
  text: string,
  timeoutMs: number,
): Promise<{ settled: () => Promise<void> }> {
  // A string, not a function: tsx (esbuild keepNames) would wrap inner functions in a __name()
  // helper that does not exist in the page.
  await page.evaluate(`(() => {
    const text = ${JSON.stringify(text)};
    const heading = () => document.querySelector('h1')?.textContent ?? '';
    window.__benchHeading = new Promise((resolve, reject) => {
      if (heading() === text) return resolve();
      const observer = new MutationObserver(() => {
        if (heading() !== text) return;
        observer.disconnect();
        clearTimeout(timer);
        resolve();
      });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error('h1 not "' + text + '" within ${timeoutMs} ms (it reads "' + heading() + '")'));
      }, ${timeoutMs});
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // Rejections are reported by settled(); an unawaited one must not surface on its own.
    window.__benchHeading.catch(() => undefined);
  })()`);
  return { settled: () => page.evaluate('window.__benchHeading') as Promise<void> };
}
