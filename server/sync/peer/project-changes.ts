// What wakes a long poll of a project's state (`berth watch`): its agent's fs.changed events
// (debounced by the agent: a save arrives within a few hundred ms) and changes to its
// conversations. A watcher counts changes from the moment it is made, so one that happens
// while the state is being read is not missed.
import { onAgentEvent, type AgentAnnouncer } from '../../core/agent-events';
import type { Disposer } from '../../core/typed-emitter';

export interface ConversationChanges {
  events: { on(event: 'onDidChangeConversations', listener: (payload: { projectId: string }) => void): Disposer };
}

export interface ChangeWatcher {
  /** Resolves at the first change since the last call (at once if one came meanwhile), at the timeout, or on abort. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  dispose(): void;
}

export class ProjectChanges {
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly offs: Disposer[];
  /** Disposed: waits end at once (Berth is shutting down). */
  closed = false;

  constructor(announcer: AgentAnnouncer, conversations: ConversationChanges) {
    this.offs = [
      onAgentEvent(announcer, 'fs.changed', (projectId) => this.changed(projectId)),
      conversations.events.on('onDidChangeConversations', ({ projectId }) => this.changed(projectId)),
    ];
  }

  /** Also told by the peer itself after an apply. */
  changed(projectId: string): void {
    for (const notify of this.watchers.get(projectId) ?? []) notify();
  }

  watch(projectId: string): ChangeWatcher {
    let pending = false;
    let wake: (() => void) | undefined;
    const notify = () => {
      pending = true;
      wake?.();
    };
    let set = this.watchers.get(projectId);
    if (!set) this.watchers.set(projectId, (set = new Set()));
    set.add(notify);
    return {
      next: (timeoutMs, signal) =>
        new Promise<void>((resolve) => {
          if (pending || signal?.aborted || this.closed) {
            pending = false;
            resolve();
            return;
          }
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            wake = undefined;
            pending = false;
            resolve();
          };
          const timer = setTimeout(done, Math.max(0, timeoutMs));
          signal?.addEventListener('abort', done);
          wake = done;
        }),
      dispose: () => {
        wake?.();
        set.delete(notify);
        if (set.size === 0 && this.watchers.get(projectId) === set) this.watchers.delete(projectId);
      },
    };
  }

  /** Watchers still open (tests: every long poll cleans up). */
  get size(): number {
    let count = 0;
    for (const set of this.watchers.values()) count += set.size;
    return count;
  }

  dispose(): void {
    this.closed = true;
    for (const off of this.offs) off();
    for (const set of this.watchers.values()) for (const notify of set) notify();
    this.watchers.clear();
  }
}
