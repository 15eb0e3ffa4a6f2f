import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../core/logger';
import { TypedEmitter } from '../core/typed-emitter';
import type { PrismaClient } from '../db';
import { AutoSync } from './auto-sync';

interface AgentEvent {
  event: string;
  data: unknown;
}

/** A workspace announcer with one connected agent per project, as WorkspaceService offers it. */
function announcer() {
  const events = new TypedEmitter<{
    onDidConnectAgent: { projectId: string; agent: { events: TypedEmitter<{ onDidEvent: AgentEvent }> } };
  }>();
  const agents = new Map<string, TypedEmitter<{ onDidEvent: AgentEvent }>>();
  return {
    announcer: { events },
    connect(projectId: string) {
      const agent = new TypedEmitter<{ onDidEvent: AgentEvent }>();
      agents.set(projectId, agent);
      events.emit('onDidConnectAgent', { projectId, agent: { events: agent } });
    },
    changed(projectId: string) {
      agents.get(projectId)!.emit('onDidEvent', { event: 'fs.changed', data: { paths: ['a.txt'] } });
    },
  };
}

const stored = (links: { projectId: string; intervalMinutes: number; userId: string }[]) =>
  ({
    syncLink: {
      findMany: async () =>
        links.map((link) => ({
          projectId: link.projectId,
          intervalMinutes: link.intervalMinutes,
          remote: { userId: link.userId },
        })),
    },
  }) as unknown as PrismaClient;

describe('AutoSync', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('syncs a watched project once, the debounce after its last change', async () => {
    const runs: string[] = [];
    const agents = announcer();
    const auto = new AutoSync(
      stored([{ projectId: 'p1', intervalMinutes: 0, userId: 'u1' }]),
      async (userId, projectId) => void runs.push(`${userId}/${projectId}`),
      { debounceMs: 5_000 },
      createLogger('silent'),
    );
    await auto.start(agents.announcer);
    agents.connect('p1');
    agents.connect('p2');
    agents.changed('p1');
    await vi.advanceTimersByTimeAsync(4_000);
    agents.changed('p1');
    agents.changed('p2'); // not linked with autoSync
    await vi.advanceTimersByTimeAsync(4_999);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual(['u1/p1']);
    auto.dispose();
  });

  it('syncs every intervalMinutes, and one more time for triggers during a run', async () => {
    let release: (() => void) | undefined;
    let runs = 0;
    const agents = announcer();
    const auto = new AutoSync(
      stored([]),
      () => {
        runs++;
        return new Promise<void>((resolve) => (release = resolve));
      },
      { debounceMs: 1_000 },
      createLogger('silent'),
    );
    await auto.start(agents.announcer);
    auto.onDidChangeLink('p1', { autoSync: true, intervalMinutes: 2, userId: 'u1' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runs).toBe(1);
    // Two more triggers while it runs: one more run after it, not two.
    agents.connect('p1');
    agents.changed('p1');
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runs).toBe(1);
    release!();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(2);
    release!();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(2);
    auto.dispose();
  });

  it('stops when the link goes, turns automatic sync off, or on dispose', async () => {
    let runs = 0;
    const agents = announcer();
    const auto = new AutoSync(
      stored([{ projectId: 'p1', intervalMinutes: 1, userId: 'u1' }]),
      async () => void runs++,
      { debounceMs: 1_000 },
      createLogger('silent'),
    );
    await auto.start(agents.announcer);
    expect(auto.isWatching('p1')).toBe(true);
    auto.onDidChangeLink('p1', { autoSync: false, intervalMinutes: 1, userId: 'u1' });
    expect(auto.isWatching('p1')).toBe(false);
    auto.onDidChangeLink('p2', { autoSync: true, intervalMinutes: 1, userId: 'u1' });
    auto.onDidChangeLink('p3', { autoSync: true, intervalMinutes: 1, userId: 'u1' });
    auto.onDidChangeLink('p3', null);
    auto.dispose();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(runs).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
