import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../../core/typed-emitter';
import { ProjectChanges } from './project-changes';

type AgentEvent = { event: string; data: unknown };

/** A workspace service as onAgentEvent sees it: it announces agents, which push events. */
function setUp() {
  const announcer = new TypedEmitter<{
    onDidConnectAgent: { projectId: string; agent: { events: TypedEmitter<{ onDidEvent: AgentEvent }> } };
  }>();
  const conversations = new TypedEmitter<{ onDidChangeConversations: { projectId: string } }>();
  const changes = new ProjectChanges({ events: announcer }, { events: conversations });
  const agent = { events: new TypedEmitter<{ onDidEvent: AgentEvent }>() };
  announcer.emit('onDidConnectAgent', { projectId: 'p1', agent });
  const fileChanged = () => agent.events.emit('onDidEvent', { event: 'fs.changed', data: [] });
  return { changes, conversations, fileChanged, agent };
}

describe('ProjectChanges', () => {
  it("wakes a waiting watcher on its project's file change, not another project's or another event", async () => {
    const { changes, fileChanged, agent } = setUp();
    const watcher = changes.watch('p1');
    const other = changes.watch('p2');
    const started = Date.now();
    const woke = watcher.next(10_000);
    agent.events.emit('onDidEvent', { event: 'ports.changed', data: [] });
    fileChanged();
    await woke;
    expect(Date.now() - started).toBeLessThan(1_000);
    let otherWoke = false;
    void other.next(10_000).then(() => (otherWoke = true));
    await Promise.resolve();
    expect(otherWoke).toBe(false);
    watcher.dispose();
    other.dispose();
    expect(changes.size).toBe(0);
  });

  it('keeps a change that came before next() was called, and wakes on conversation changes', async () => {
    const { changes, conversations, fileChanged } = setUp();
    const watcher = changes.watch('p1');
    fileChanged();
    const started = Date.now();
    await watcher.next(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    const woke = watcher.next(10_000);
    conversations.emit('onDidChangeConversations', { projectId: 'p1' });
    await woke;
    expect(Date.now() - started).toBeLessThan(1_000);
    watcher.dispose();
  });

  it('ends a wait at its timeout, on abort and on dispose', async () => {
    const { changes } = setUp();
    const watcher = changes.watch('p1');
    const started = Date.now();
    await watcher.next(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const abort = new AbortController();
    const aborted = watcher.next(10_000, abort.signal);
    abort.abort();
    await aborted;
    const disposed = watcher.next(10_000);
    changes.dispose();
    await disposed;
    // Once disposed, a wait ends at once.
    await watcher.next(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
