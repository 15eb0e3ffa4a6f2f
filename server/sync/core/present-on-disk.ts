// Before a plan is applied, each side is asked which of the paths the plan would delete on the
// other side or write on it — paths absent from that side's state — it holds on disk all the same
// (ignored, too large, unreadable): those are held, not deleted or written over.
import { SYNC_MAX_HASHES, type SyncManifestEntry } from '../../contracts/sync';
import { chunks } from './peer-blobs';
import type { SyncPeer } from './sync-peer';
import type { FilePlan, SyncSide } from './three-way';

/**
 * Asks each side which of the paths a plan would delete on the other side (absent from this
 * side's state) or write here (absent from this side's state) it holds on disk all the same —
 * one call per side and round, each path asked once. Peers without `present` are not asked.
 */
export class PresentOnDisk {
  private readonly asked: Record<SyncSide, Set<string>> = { local: new Set(), remote: new Set() };

  constructor(
    private readonly options: { local: SyncPeer; remote: SyncPeer; signal?: AbortSignal },
    private readonly localFiles: ReadonlyMap<string, SyncManifestEntry>,
    private readonly remoteFiles: ReadonlyMap<string, SyncManifestEntry>,
    /** Filled in as answers come: the planner's presentOnDisk. */
    private readonly found: Record<SyncSide, Set<string>>,
  ) {}

  /** Whether a side holds a path it was not yet known to: then the plan must be made again. */
  async ask(plan: FilePlan): Promise<boolean> {
    const candidates: Record<SyncSide, string[]> = { local: [], remote: [] };
    for (const path of plan.localDeletes) if (!this.remoteFiles.has(path)) candidates.remote.push(path);
    for (const path of plan.remoteDeletes) if (!this.localFiles.has(path)) candidates.local.push(path);
    for (const entry of plan.localWrites) if (!this.localFiles.has(entry.path)) candidates.local.push(entry.path);
    for (const entry of plan.remoteWrites) if (!this.remoteFiles.has(entry.path)) candidates.remote.push(entry.path);
    const answers = await Promise.all(
      (['local', 'remote'] as const).map((side) => this.askSide(side, candidates[side])),
    );
    return answers.some(Boolean);
  }

  private async askSide(side: SyncSide, paths: string[]): Promise<boolean> {
    const peer = side === 'local' ? this.options.local : this.options.remote;
    if (!peer.present) return false;
    const fresh = [...new Set(paths)].filter((path) => !this.asked[side].has(path));
    if (fresh.length === 0) return false;
    this.options.signal?.throwIfAborted();
    let more = false;
    for (const chunk of chunks(fresh, SYNC_MAX_HASHES)) {
      const asked = new Set(chunk);
      for (const path of chunk) this.asked[side].add(path);
      for (const path of await peer.present(chunk)) {
        // Only the paths asked about count (a remote cannot hold back anything else this way).
        if (!asked.has(path) || this.found[side].has(path)) continue;
        this.found[side].add(path);
        more = true;
      }
    }
    return more;
  }
}
