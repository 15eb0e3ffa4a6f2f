// Prometheus metrics: one registry per server (tests start several servers in one process, so
// no global registry), every metric Berth exports defined here, and the gauges' sources
// plugged in by the composition root. Services get this object and increment what they own.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type PreviewDirection = 'upstream' | 'downstream';

/** Read at scrape time, so the gauges are never stale and services keep no extra state. */
export interface MetricSources {
  /** Workspaces per lifecycle state, every state present (zero included). */
  workspacesByState(): Record<string, number>;
  terminalSessions(): number | Promise<number>;
}

export class BerthMetrics {
  readonly registry = new Registry();
  private sources: MetricSources | undefined;

  readonly workspaceStartSeconds = new Histogram({
    name: 'berth_workspace_start_seconds',
    help: 'Time from a workspace start request until its agent answers',
    buckets: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    registers: [this.registry],
  });

  readonly snapshotSeconds = new Histogram({
    name: 'berth_snapshot_seconds',
    help: 'Duration of taking a snapshot, by reason',
    labelNames: ['reason'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: 'berth_errors_total',
    help: 'Errors by area (api: unhandled API errors; workspace_start; snapshot)',
    labelNames: ['area'] as const,
    registers: [this.registry],
  });

  private readonly previewBytes = new Counter({
    name: 'berth_preview_bytes_total',
    help: 'Bytes proxied for previews; upstream = browser to workspace, downstream = workspace to browser',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  // Bound once: the proxy counts every chunk, so skip the label lookup on the hot path.
  private readonly previewChildren = {
    upstream: this.previewBytes.labels('upstream'),
    downstream: this.previewBytes.labels('downstream'),
  };

  constructor(options: { defaultMetrics?: boolean } = {}) {
    // The gauges' collect() runs with `this` bound to the gauge; reach the sources through this arrow.
    const sources = () => this.sources;
    new Gauge({
      name: 'berth_workspaces',
      help: 'Workspaces known to this server, by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [state, count] of Object.entries(sources()?.workspacesByState() ?? {})) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'berth_terminal_sessions',
      help: 'Live terminal sessions (kept while the browser is away)',
      registers: [this.registry],
      async collect() {
        this.set((await sources()?.terminalSessions()) ?? 0);
      },
    });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  setSources(sources: MetricSources): void {
    this.sources = sources;
  }

  countPreviewBytes(direction: PreviewDirection, bytes: number): void {
    this.previewChildren[direction].inc(bytes);
  }

  /** Runs `fn`, observing its duration when it succeeds and counting an error when it throws. */
  async time<T>(histogram: (seconds: number) => void, errorArea: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await fn();
      histogram((performance.now() - started) / 1000);
      return result;
    } catch (error) {
      this.errors.inc({ area: errorArea });
      throw error;
    }
  }

  /** The text exposition format, and its content type. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
