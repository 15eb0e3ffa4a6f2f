// Flood isolation: echo in one shell while another runs `yes`, and the server's RSS meanwhile.
import { rssOf } from './process';
import { PROMPT_CHAR } from './terminal-output';
import { BLOCK, typeKeys, type Keyboard } from './keyboards';
import { sleep } from './process';

export const FLOOD_KEYS = 200;
export const FLOOD_SECONDS = 10;

export interface FloodResult {
  echo: number[];
  floodMs: number;
  floodChars: number;
  rss?: { beforeMiB: number; peakMiB: number; afterMiB: number; hwmAfterMiB: number };
}

/**
 * Starts `yes` in `flooder`, waits until it flows, types FLOOD_KEYS keys into `typist` while it
 * runs, keeps it running FLOOD_SECONDS in all, stops it with Ctrl-C and waits for its prompt.
 */
export async function flood(
  typist: Keyboard,
  flooder: Keyboard,
  floodedChars: () => number,
  serverPid?: number,
): Promise<FloodResult> {
  const rssSamples: number[] = [];
  const sampleRss = () => {
    const rss = serverPid === undefined ? NaN : rssOf(serverPid).rssMiB;
    if (Number.isFinite(rss)) rssSamples.push(rss);
  };
  const beforeMiB = serverPid !== undefined ? rssOf(serverPid).rssMiB : NaN;
  const sampler = setInterval(sampleRss, 100);
  try {
    const startChars = floodedChars();
    flooder.watch.reset();
    void flooder.send('yes\r');
    await flooder.watch.waitFor(/(y(?:\x1b\[K)?\r?\n){20}/, 10_000, `yes output (${flooder.name})`);
    const started = performance.now();
    const echo: number[] = [];
    for (let done = 0; done < FLOOD_KEYS; done += BLOCK)
      echo.push(...(await typeKeys(typist, Math.min(BLOCK, FLOOD_KEYS - done))));
    const rest = FLOOD_SECONDS * 1000 - (performance.now() - started);
    if (rest > 0) await sleep(rest);
    const floodMs = performance.now() - started;
    const floodChars = floodedChars() - startChars;
    flooder.watch.reset();
    void flooder.send('\x03');
    await flooder.watch.waitFor(PROMPT_CHAR, 60_000, `prompt after Ctrl-C (${flooder.name})`);
    await flooder.watch.settle(200, 10_000);
    await sleep(1_000);
    if (serverPid === undefined) return { echo, floodMs, floodChars };
    const after = rssOf(serverPid);
    return {
      echo,
      floodMs,
      floodChars,
      rss: {
        beforeMiB,
        peakMiB: Math.max(beforeMiB, ...rssSamples),
        afterMiB: after.rssMiB,
        hwmAfterMiB: after.hwmMiB,
      },
    };
  } finally {
    clearInterval(sampler);
  }
}
