// A static page served inside a workspace container, and the ways to reach it from the host:
// straight to the container's bridge IP, and through Berth's preview host (the capability URL
// from the REST API). The bench adds a bare TCP pipe in between (tcp-pipe.ts) as the floor.
import type Dockerode from 'dockerode';
import type { PreviewDto } from '../../server/contracts';
import type { BenchServer } from './berth';
import { sleep } from './process';
import type { Shell } from './shell';

export const STATIC_PORT = 5173;
/** The same page bound to 127.0.0.1 only: Berth reaches it through the agent's tunnel. */
export const LOCAL_ONLY_PORT = 5174;

/** Where one request goes: connect to hostname:port and send these headers. */
export interface HttpTarget {
  name: string;
  hostname: string;
  port: number;
  headers: Record<string, string>;
}

/** ~1.5 KB of HTML: a typical small page, not a byte-copy benchmark. */
export const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Berth preview bench</title></head><body><h1>Preview bench</h1>${'<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.</p>'.repeat(16)}</body></html>`;

/**
 * `node -e` HTTP server on 0.0.0.0 (so the bridge IP reaches it), started in the background
 * from the bench's shell: the page from memory with Content-Length, keep-alive as Node does it.
 */
export async function startStaticServer(shell: Shell, port = STATIC_PORT, address = '0.0.0.0'): Promise<void> {
  const script = `const b=Buffer.from(process.env.PAGE);require('http').createServer((q,r)=>{r.writeHead(200,{'Content-Type':'text/html; charset=utf-8','Content-Length':b.length});r.end(b)}).listen(${port},'${address}')`;
  // Single quotes for bash; a subshell, since run() appends `; echo marker` (and `&;` is a syntax error).
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const started = await shell.run(`(PAGE=${quote(PAGE)} nohup node -e ${quote(script)} >/tmp/static.log 2>&1 &)`);
  if (started.status !== 0) throw new Error(`starting the static server failed (${started.status})`);
}

/** Polls GET /api/v1/projects/:id/previews until `port` is listed; returns its preview. */
export async function waitForPreview(
  bench: BenchServer,
  projectId: string,
  timeoutMs: number,
  port = STATIC_PORT,
): Promise<PreviewDto> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${bench.base}/api/v1/projects/${projectId}/previews`, {
      headers: { Authorization: `Bearer ${bench.user.token}` },
      signal: AbortSignal.timeout(5_000),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET previews: ${res.status} ${text.slice(0, 200)}`);
    const found = (JSON.parse(text) as PreviewDto[]).find((p) => p.port === port);
    if (found) return found;
    if (performance.now() > deadline)
      throw new Error(`port ${port} not in the previews list within ${timeoutMs} ms: ${text}`);
    await sleep(100);
  }
}

/** The first IPv4 address of the container on any of its networks (the host reaches bridge IPs). */
async function containerIp(container: Dockerode.Container): Promise<string> {
  const info = await container.inspect();
  const ip = Object.values(info.NetworkSettings.Networks ?? {})
    .map((n) => n.IPAddress)
    .find(Boolean);
  if (!ip) throw new Error('the workspace container has no IP address on a Docker network');
  return ip;
}

/** Direct (container IP) and Berth (preview host on loopback). */
export async function pageTargets(
  bench: BenchServer,
  container: Dockerode.Container,
  preview: PreviewDto,
): Promise<{ direct: HttpTarget; berth: HttpTarget }> {
  const ip = await containerIp(container);
  const berthUrl = new URL(bench.base);
  return {
    direct: { name: 'direct', hostname: ip, port: STATIC_PORT, headers: { host: `${ip}:${STATIC_PORT}` } },
    // Node does not resolve *.localhost: connect to Berth's loopback port, name the preview host.
    berth: {
      name: 'berth',
      hostname: berthUrl.hostname,
      port: Number(berthUrl.port),
      headers: { host: new URL(preview.url).host },
    },
  };
}
