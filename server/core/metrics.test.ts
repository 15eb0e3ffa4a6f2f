import { describe, expect, it } from 'vitest';
import { BerthMetrics } from './metrics';

describe('BerthMetrics', () => {
  it('reads the gauges from their sources at scrape time, and keeps registries apart', async () => {
    const one = new BerthMetrics({ defaultMetrics: false });
    const two = new BerthMetrics({ defaultMetrics: false });
    let running = 1;
    one.setSources({ workspacesByState: () => ({ running, stopped: 0 }), terminalSessions: () => 2 });
    expect((await one.expose()).body).toContain('berth_workspaces{state="running"} 1');
    running = 3;
    const { body } = await one.expose();
    expect(body).toContain('berth_workspaces{state="running"} 3');
    expect(body).toContain('berth_terminal_sessions 2');
    expect((await two.expose()).body).not.toContain('state="running"');
  });

  it('time() observes successes and counts failures by area', async () => {
    const metrics = new BerthMetrics({ defaultMetrics: false });
    await metrics.time(
      (seconds) => metrics.snapshotSeconds.observe({ reason: 'manual' }, seconds),
      'snapshot',
      async () => 'ok',
    );
    await expect(
      metrics.time(
        () => undefined,
        'snapshot',
        async () => Promise.reject(new Error('boom')),
      ),
    ).rejects.toThrow('boom');
    metrics.countPreviewBytes('downstream', 10);
    const { body } = await metrics.expose();
    expect(body).toMatch(/^berth_snapshot_seconds_count\{reason="manual"\} 1$/m);
    expect(body).toContain('berth_errors_total{area="snapshot"} 1');
    expect(body).toContain('berth_preview_bytes_total{direction="downstream"} 10');
  });
});
