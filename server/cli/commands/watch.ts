// berth watch [dir]: two-way sync while it runs, with the same conflict rules as berth sync.
// A local save is seen by a watcher of the folder (one inotify watch per folder, the workspace
// agent's WorkspaceWatcher) and synced after 150 ms of quiet; a change on the Berth is learned by
// the peer's long poll (state with `known`, 25 s at a time). Syncs run one at a time: a change
// during one makes exactly one more. Ctrl-C (the signal) stops cleanly: no sync is cut inside an
// apply (each is journalled), the watcher and the poll end.
import { realpath } from 'node:fs/promises';
import type { ConflictStrategy } from '../../contracts/sync';
import { WorkspaceWatcher } from '../../agent/fs/watcher';
import { ManifestRefusedError } from '../../sync/core/manifest-checks';
import { PeerRefusedError } from '../../sync/core/sync-peer';
import type { CliIo } from '../cli-io';
import { STATE_DIR_NAME } from '../folder-layout';
import { openExistingFolder, syncFolder, type FolderSession } from '../folder-session';
import { readBaseFile } from '../folder-state';
import { createProgress } from '../progress';
import { formatSyncReport, undoHint } from '../sync-report';

const DEBOUNCE_MS = 150;
const LONG_POLL_MS = 25_000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

const ownState = (path: string) => path === STATE_DIR_NAME || path.startsWith(`${STATE_DIR_NAME}/`);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

export interface WatchHooks {
  /** After each sync (tests wait on it). */
  onDidSync?(result: { changed: boolean; success: boolean }): void;
}

export async function watch(
  input: { dir?: string; onConflict: ConflictStrategy },
  io: CliIo,
  signal: AbortSignal,
  hooks: WatchHooks = {},
): Promise<number> {
  const session = await openExistingFolder(input.dir, io, { command: 'watch' });
  // Ctrl-C, or a refusal no retry can mend (a revoked token, a manifest refused): the loop ends.
  const fatal = new AbortController();
  const loop = new WatchLoop(session, input.onConflict, io, AbortSignal.any([signal, fatal.signal]), hooks, fatal);
  return loop.run().finally(() => session.close());
}

class WatchLoop {
  private running: Promise<void> | undefined;
  /** What asked for the next sync: a local change alone is checked against the last synced scan first. */
  private wanted: { local: boolean; remote: boolean } = { local: false, remote: false };
  private debounce: NodeJS.Timeout | undefined;
  private localStateId = '';
  private remoteStateId = '';
  private failures = 0;

  constructor(
    private readonly session: FolderSession,
    private readonly onConflict: ConflictStrategy,
    private readonly io: CliIo,
    private readonly signal: AbortSignal,
    private readonly hooks: WatchHooks,
    private readonly fatal: AbortController,
  ) {}

  /** Ends the watch for good on an error retrying cannot fix; true when it did. */
  private stopOn(error: unknown): boolean {
    if (!(error instanceof PeerRefusedError) && !(error instanceof ManifestRefusedError)) return false;
    if (!this.fatal.signal.aborted) this.fatal.abort(error);
    return true;
  }

  async run(): Promise<number> {
    const base = await readBaseFile(this.session.layout);
    this.localStateId = base?.localStateId ?? '';
    this.remoteStateId = base?.remoteStateId ?? '';
    const watcher = new WorkspaceWatcher({
      root: await realpath(this.session.layout.root),
      onChanges: (changes) => {
        if (changes.some((change) => !ownState(change.path))) this.schedule();
      },
    });
    await watcher.start();
    this.io.err(`Watching ${this.session.local.name} ⇄ ${this.session.remote.name} (Ctrl-C to stop)`);
    try {
      this.request('remote');
      await this.pollRemote();
    } finally {
      watcher.dispose();
      if (this.debounce) clearTimeout(this.debounce);
      await this.running;
    }
    if (this.fatal.signal.aborted) throw this.fatal.signal.reason as Error;
    this.io.err('Stopped watching.');
    return 0;
  }

  private schedule(): void {
    if (this.signal.aborted) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.request('local');
    }, DEBOUNCE_MS);
  }

  /** A sync now, or one more right after the one under way. */
  private request(side: 'local' | 'remote'): void {
    if (this.signal.aborted) return;
    this.wanted[side] = true;
    this.running ??= (async () => {
      while ((this.wanted.local || this.wanted.remote) && !this.signal.aborted) {
        const wanted = this.wanted;
        this.wanted = { local: false, remote: false };
        await this.syncOnce(wanted);
      }
    })().finally(() => {
      this.running = undefined;
    });
  }

  private async syncOnce(wanted: { local: boolean; remote: boolean }): Promise<void> {
    try {
      // Our own writes (a download) and ignored files wake the watcher too: nothing to sync then.
      if (!wanted.remote && (await this.session.local.scan()).stateId === this.localStateId) return;
      const progress = createProgress(this.io);
      const outcome = await syncFolder(
        this.session,
        { mode: 'both', onConflict: this.onConflict },
        { onProgress: progress.onProgress, signal: this.signal },
      ).finally(() => progress.finish());
      const { result } = outcome;
      if (outcome.localStateId) this.localStateId = outcome.localStateId;
      if (outcome.remoteStateId) this.remoteStateId = outcome.remoteStateId;
      const changed = result.filesUploaded + result.filesDownloaded > 0 || result.conflicts.length > 0;
      if (changed || !result.success) {
        const time = new Date().toLocaleTimeString();
        for (const line of formatSyncReport(result)) this.io.out(`[${time}] ${line}`);
        if (result.beforeSnapshots?.local) this.io.out(`[${time}] ${undoHint()} (once watch stops)`);
      }
      this.hooks.onDidSync?.({ changed, success: result.success });
    } catch (error) {
      if (this.stopOn(error) || this.signal.aborted) return;
      this.io.err(`✗ ${(error as Error).message}`);
      this.hooks.onDidSync?.({ changed: false, success: false });
    }
  }

  /** The Berth's side: wait for its state to differ from the last one synced, then sync. */
  private async pollRemote(): Promise<void> {
    while (!this.signal.aborted) {
      try {
        const answer = await this.session.remote.state({
          known: this.remoteStateId || undefined,
          waitMs: LONG_POLL_MS,
          signal: this.signal,
        });
        this.failures = 0;
        if (answer.stateId !== this.remoteStateId) this.request('remote');
        // Let the sync it started settle before asking again with its new state id.
        await this.running;
      } catch (error) {
        if (this.stopOn(error) || this.signal.aborted) return;
        this.failures++;
        const wait = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(this.failures - 1, 5));
        if (this.failures === 1 || this.failures % 10 === 0)
          this.io.err(`✗ ${(error as Error).message} (trying again in ${Math.round(wait / 1000)} s)`);
        await sleep(wait, this.signal);
      }
    }
  }
}
