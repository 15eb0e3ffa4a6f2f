// GET /cli — the `berth` command line as one file (`node berth.mjs --help`). Served before the
// pages and without a sign-in (it holds no secret). The built dist/berth-cli.mjs when it is up
// to date (always, in the image: it has no sources); otherwise (a checkout in development) it is
// bundled on demand with esbuild and kept until one of its sources changes.
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

export function createCliDownload(options: { appDir: string; log: Logger }) {
  let current: Promise<Bundle> | undefined;

  const etagOf = (code: Buffer) => `"${createHash('sha256').update(code).digest('hex').slice(0, 32)}"`;

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
    const bundle = await load();
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
