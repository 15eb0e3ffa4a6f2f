// `berth login <url>` without a token: the browser approval (server/auth/cli-login-service.ts).
// Starts a login, shows the code and the page, opens the browser, and polls every 2 s until the
// user approves (the token arrives, once), the code expires, or the run is stopped. The page's
// URL is made here from the Berth's URL (never the server's answer: it goes to the OS opener),
// and the user types the code there (a link carrying a code could come from someone else).
import os from 'node:os';
import { z } from 'zod';
import type { CliLoginPollDto, CliLoginStartDto } from '../contracts/sync';
import type { CliIo } from './cli-io';
import { openBrowser } from './open-browser';

const POLL_MS = 2000;
const MAX_ANSWER_BYTES = 64 * 1024;

const startSchema = z.object({
  code: z.string(),
  pollToken: z.string(),
  approveUrl: z.string(),
  expiresAt: z.string(),
}) satisfies z.ZodType<CliLoginStartDto>;
const pollSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('approved'), token: z.string().min(1).max(200) }),
  z.object({ status: z.literal('expired') }),
]) satisfies z.ZodType<CliLoginPollDto>;

async function postJson<T>(url: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (text.length > MAX_ANSWER_BYTES) throw new Error(`${url} answered with ${text.length} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${url} answered HTTP ${response.status}, not JSON (is this a Berth?)`);
  }
  if (!response.ok) {
    const message = (json as { message?: unknown }).message;
    throw new Error(typeof message === 'string' ? message : `${url} answered HTTP ${response.status}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${url} answered something unexpected (is this a Berth?)`);
  return parsed.data;
}

/** The approve page of the Berth at `baseUrl` (an http(s) URL the user gave). */
export function approvePageUrl(baseUrl: string): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/cli/approve`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Not an http(s) URL: ${baseUrl}`);
  return url.href;
}

export async function deviceLogin(
  baseUrl: string,
  io: CliIo,
  options: { openBrowser?: (url: string) => void; pollMs?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const start = await postJson(`${baseUrl}/api/v1/cli/login`, { device: os.hostname().slice(0, 100) }, startSchema);
  const page = approvePageUrl(baseUrl);
  io.err(`To sign in, open ${page}`);
  io.err(`and enter this code: ${start.code}`);
  (options.openBrowser ?? openBrowser)(page);
  io.err('Waiting for your approval… (Ctrl-C to stop)');
  for (;;) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, options.pollMs ?? POLL_MS);
      options.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(new Error('Stopped'));
        },
        { once: true },
      );
    });
    const answer = await postJson(`${baseUrl}/api/v1/cli/login/poll`, { pollToken: start.pollToken }, pollSchema);
    switch (answer.status) {
      case 'pending':
        continue;
      case 'expired':
        throw new Error('The code expired before it was approved; run berth login again');
      case 'approved':
        return answer.token;
    }
  }
}
