// HTTP GETs against an HttpTarget: throughput under concurrency (autocannon, in this process)
// and sequential round trips on one keep-alive connection (node:http), for overhead at p50.
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import type { HttpTarget } from './static-page';

export interface Throughput {
  /** Completed 2xx requests per second over the whole run. */
  rps: number;
  /** autocannon's latency percentiles under this load (ms; queueing included). */
  p50: number;
  p99: number;
}

/** `connections` keep-alive connections for `seconds`; throws on any error, timeout or non-2xx. */
export async function throughput(target: HttpTarget, connections: number, seconds: number): Promise<Throughput> {
  const result = await autocannon({
    url: `http://${target.hostname}:${target.port}/`,
    headers: target.headers,
    connections,
    pipelining: 1,
    duration: seconds,
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0)
    throw new Error(
      `${target.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx of ${result.requests.total}`,
    );
  return { rps: result.requests.total / result.duration, p50: result.latency.p50, p99: result.latency.p99 };
}

/** One sequential client: a single keep-alive socket, so every request after the first reuses it. */
export class SequentialClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1 });

  constructor(
    readonly target: HttpTarget,
    private readonly expectedBytes: number,
    private readonly timeoutMs = 10_000,
  ) {}

  /** GET / and read the body; resolves with the round trip in ms (request() to the body's end). */
  get(): Promise<number> {
    const { hostname, port, headers, name } = this.target;
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request({ hostname, port, path: '/', headers, agent: this.agent }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('error', reject);
        res.on('end', () => {
          const took = performance.now() - started;
          if (res.statusCode !== 200) reject(new Error(`${name}: GET / answered ${res.statusCode}`));
          else if (bytes !== this.expectedBytes)
            reject(new Error(`${name}: ${bytes} bytes, not ${this.expectedBytes}`));
          else resolve(took);
        });
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`${name}: no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** `blocks` rounds of `blockSize` sequential GETs per client, clients alternating block by block. */
export async function interleavedLatency(
  clients: readonly SequentialClient[],
  blocks: number,
  blockSize: number,
  warmup: number,
): Promise<number[][]> {
  for (const client of clients) for (let i = 0; i < warmup; i++) await client.get();
  const samples = clients.map(() => [] as number[]);
  for (let block = 0; block < blocks; block++) {
    for (const [index, client] of clients.entries()) {
      for (let i = 0; i < blockSize; i++) samples[index]!.push(await client.get());
    }
  }
  return samples;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
