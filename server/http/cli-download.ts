// GET /cli — the `berth` command line as one file (`node berth.mjs --help`). Served before the
// pages and without a sign-in (it holds no secret). The built dist/berth-cli.mjs when it is up
// to date (always, in the image: it has no sources); otherwise (a checkout in development) it is
// bundled on demand with esbuild and kept until one of its sources changes. Whether it is still
// up to date (a hash of every source, read synchronously) is asked at most every 10 s: anyone
// may request /cli, and each request must not cost a read of the whole CLI's sources.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from '../core/logger';
import { bundleCli, CLI_OUTFILE, cliBundleFresh, cliSourceHash } from '../../scripts/cli-bundle.mjs';

interface Bundle {
  code: Buffer;
  etag: string;
  /** Sources of an on-demand bundle and their hash; absent for the built file. */
  inputs?: string[];
  hash?: string | null;
}

/** How long a freshness answer is trusted. */
export const CLI_FRESHNESS_MS = 10_000;

export function createCliDownload(options: {
  appDir: string;
  log: Logger;
  /** The clock (tests); and a probe of each freshness check (tests count them). */
  now?: () => number;
  onCheck?: () => void;
}) {
  let current: Promise<Bundle> | undefined;
  let checked: { at: number; bundle: Promise<Bundle> } | undefined;
  const now = options.now ?? (() => performance.now());

  const etagOf = (code: Buffer) => `"${createHash('sha256').update(code).digest('hex').slice(0, 32)}"`;

  /** The bundle to serve: the last answer while it is recent, else checked again. */
  function bundleNow(): Promise<Bundle> {
    const at = now();
    if (checked && at - checked.at < CLI_FRESHNESS_MS) return checked.bundle;
    options.onCheck?.();
    const bundle = load();
    checked = { at, bundle };
    // A failed bundle is not kept: the next request tries again.
    bundle.catch(() => {
      if (checked?.bundle === bundle) checked = undefined;
    });
    return bundle;
  }

  async function load(): Promise<Bundle> {
    if (cliBundleFresh(options.appDir)) {
      const code = await readFile(path.join(options.appDir, CLI_OUTFILE));
      return { code, etag: etagOf(code) };
    }
    const pending = current;
    if (pending) {
      const kept = await pending.catch(() => undefined);
      if (kept?.inputs && kept.hash && cliSourceHash(options.appDir, kept.inputs) === kept.hash) return kept;
      // Another request started a new bundle meanwhile: share it.
      if (current !== pending) return load();
    }
    current = (async () => {
      const started = performance.now();
      const { code, inputs, hash } = await bundleCli({ root: options.appDir, write: false });
      options.log.info({ ms: Math.round(performance.now() - started), bytes: code.length }, 'bundled the berth CLI');
      return { code, etag: etagOf(code), inputs, hash };
    })();
    return current;
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Use GET\n');
      return;
    }
    const bundle = await bundleNow();
    const headers = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Content-Disposition': 'attachment; filename="berth.mjs"',
      'Cache-Control': 'no-cache',
      ETag: bundle.etag,
    };
    if (req.headers['if-none-match'] === bundle.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': bundle.code.length });
    res.end(req.method === 'HEAD' ? undefined : bundle.code);
  };
}
