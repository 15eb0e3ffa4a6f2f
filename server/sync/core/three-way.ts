// The file half of the planner (docs/adr-hybrid-sync.md, "Three-way rule"): per path, the base
// (the last state both sides agreed on), the local and the remote entry. Equal on both sides →
// nothing to do; changed on one side only → that side's entry goes to the other; changed on both
// to different entries → a conflict the strategy settles. The mode limits which side may change.
// Pure: it plans, the caller moves blobs and applies. A text merge's result comes back in
// `settlements` (the caller reads the contents and runs text-merge), so planning twice — once to
// learn which merges are needed, once with their results — gives the final plan.
import type {
  ConflictOutcome,
  ConflictResolution,
  ConflictStrategy,
  SyncConflictDto,
  SyncManifestEntry,
  SyncMode,
} from '../../contracts/sync';
import { isRegularFileMode } from './manifest-checks';
import { TEXT_MAX_BYTES } from './text-merge';

export type SyncSide = 'local' | 'remote';
/** An entry, or null where the path is absent. */
type Slot = SyncManifestEntry | null;

/** How a text-merge candidate was settled by the caller. */
export type MergeSettlement =
  /** Both were text: `entry` names the merged content (already held by whichever side gets it). */
  | { kind: 'text'; entry: SyncManifestEntry; clean: boolean }
  /** One of them was not text after all: keep both. */
  | { kind: 'binary' };

/** A conflict the merge strategy settles with a text merge: the caller reads these three and merges. */
export interface MergeNeed {
  path: string;
  base: SyncManifestEntry | null;
  local: SyncManifestEntry;
  remote: SyncManifestEntry;
}

export interface FilePlanInput {
  /** null: the first sync (no agreed state yet). */
  base: readonly SyncManifestEntry[] | null;
  local: readonly SyncManifestEntry[];
  remote: readonly SyncManifestEntry[];
  mode: SyncMode;
  strategy: ConflictStrategy;
  /** Per-path answers (to an earlier `ask`); they override the strategy (see resolvedChoice). */
  resolutions?: Readonly<Record<string, ConflictResolution>>;
  /** Results of the merges an earlier plan asked for, by path. */
  settlements?: ReadonlyMap<string, MergeSettlement>;
  /**
   * Per side, paths absent from its state that its disk holds all the same (ignored, too large,
   * unreadable: SyncPeer.present). Their absence is no deletion, and nothing is written over them.
   */
  presentOnDisk?: Readonly<Record<SyncSide, ReadonlySet<string>>>;
}

export interface FilePlan {
  /** Exactly what each side should hold after the sync. */
  localTarget: SyncManifestEntry[];
  remoteTarget: SyncManifestEntry[];
  /** Entries each side must write (new or changed), sorted by path. */
  localWrites: SyncManifestEntry[];
  remoteWrites: SyncManifestEntry[];
  /** Paths each side must delete, sorted. */
  localDeletes: string[];
  remoteDeletes: string[];
  conflicts: SyncConflictDto[];
  /** Text merges still to run (with no settlement given): nothing changes for them in this plan. */
  merges: MergeNeed[];
  /** The agreed state once both targets hold: see baseAfter. */
  base: SyncManifestEntry[];
  /**
   * Paths `side` has on disk outside its state (presentOnDisk), left as they are: the other side's
   * copy not deleted (`kept`), or not written over what `side` holds (`not-written`, also a conflict).
   */
  held: HeldPath[];
}

export interface HeldPath {
  path: string;
  side: SyncSide;
  why: 'kept' | 'not-written';
}

/**
 * The choice an answer gives for a conflict between these versions: a bare choice always; one
 * made on named versions only while both sides still hold them, else 'ask' (listed again).
 */
export function resolvedChoice(
  resolution: ConflictResolution | undefined,
  local: string | null,
  remote: string | null,
): ConflictStrategy | undefined {
  if (resolution === undefined || typeof resolution === 'string') return resolution;
  return resolution.local === local && resolution.remote === remote ? resolution.choice : 'ask';
}

export function sameEntry(a: Slot | undefined, b: Slot | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.sha256 === b.sha256 && a.mode === b.mode;
}

/** Whether a text merge may apply: two regular files small enough to be text. */
export function isMergeCandidate(local: Slot, remote: Slot): local is SyncManifestEntry {
  return (
    local !== null &&
    remote !== null &&
    isRegularFileMode(local.mode) &&
    isRegularFileMode(remote.mode) &&
    local.size <= TEXT_MAX_BYTES &&
    remote.size <= TEXT_MAX_BYTES
  );
}

/** `dir/name (remote).ext`, numbered (`name (remote 2).ext`) until `isFree` accepts it. */
export function keptBothName(path: string, isFree: (candidate: string) => boolean): string {
  const slash = path.lastIndexOf('/');
  const folder = path.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  // A leading dot (".env") starts the name, not an extension.
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; ; n++) {
    const candidate = `${folder}${stem} (remote${n === 1 ? '' : ` ${n}`})${ext}`;
    if (isFree(candidate)) return candidate;
  }
}

function byPath(entries: readonly SyncManifestEntry[]): Map<string, SyncManifestEntry> {
  return new Map(entries.map((entry) => [entry.path, entry]));
}

function folderPrefixes(path: string): string[] {
  const prefixes: string[] = [];
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1))
    prefixes.push(path.slice(0, slash));
  return prefixes;
}

/**
 * The agreed state after a sync: per path, the entry both sides hold when they hold the same one
 * (absent on both: no entry), else the old base's entry — so a one-way sync, an unanswered
 * conflict or a sync cut short still compare against what both last agreed on.
 */
export function baseAfter(
  oldBase: readonly SyncManifestEntry[] | null,
  local: readonly SyncManifestEntry[],
  remote: readonly SyncManifestEntry[],
): SyncManifestEntry[] {
  const [b, l, r] = [byPath(oldBase ?? []), byPath(local), byPath(remote)];
  const paths = new Set([...b.keys(), ...l.keys(), ...r.keys()]);
  const result: SyncManifestEntry[] = [];
  for (const path of paths) {
    const [le, re] = [l.get(path) ?? null, r.get(path) ?? null];
    if (sameEntry(le, re)) {
      if (le) result.push(le);
    } else {
      const be = b.get(path);
      if (be) result.push(be);
    }
  }
  return result.sort(comparePaths);
}

function comparePaths(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Combines two sides' changes attribute by attribute (content, mode) when each was changed on one side only. */
function combineAttributes(base: SyncManifestEntry, local: SyncManifestEntry, remote: SyncManifestEntry): Slot {
  const content =
    local.sha256 === remote.sha256 || remote.sha256 === base.sha256
      ? local
      : local.sha256 === base.sha256
        ? remote
        : null;
  const mode =
    local.mode === remote.mode || remote.mode === base.mode
      ? local.mode
      : local.mode === base.mode
        ? remote.mode
        : null;
  if (!content || mode === null) return null;
  return { path: local.path, mode, size: content.size, sha256: content.sha256 };
}

class PlanBuilder {
  readonly local: Map<string, SyncManifestEntry>;
  readonly remote: Map<string, SyncManifestEntry>;
  readonly conflicts: SyncConflictDto[] = [];
  readonly merges: MergeNeed[] = [];
  readonly held: HeldPath[] = [];
  /** Kept-both names given out in this plan. */
  private readonly reserved = new Set<string>();
  /** Paths and folders any side holds or will hold: names a kept-both copy must avoid. */
  private taken: Set<string> | null = null;

  constructor(
    private readonly input: FilePlanInput,
    private readonly localNow: ReadonlyMap<string, SyncManifestEntry>,
    private readonly remoteNow: ReadonlyMap<string, SyncManifestEntry>,
    private readonly baseNow: ReadonlyMap<string, SyncManifestEntry>,
  ) {
    this.local = new Map(localNow);
    this.remote = new Map(remoteNow);
  }

  private mayChange(side: SyncSide): boolean {
    const { mode } = this.input;
    return mode === 'both' || (side === 'local' ? mode === 'download' : mode === 'upload');
  }

  set(side: SyncSide, path: string, entry: Slot): void {
    if (!this.mayChange(side)) return;
    const target = side === 'local' ? this.local : this.remote;
    if (entry) target.set(path, { ...entry, path });
    else target.delete(path);
  }

  conflict(
    path: string,
    base: Slot,
    local: Slot,
    remote: Slot,
    outcome: ConflictOutcome,
    extra: Partial<SyncConflictDto> = {},
  ): void {
    this.conflicts.push({
      kind: 'file',
      path,
      base: base?.sha256 ?? null,
      local: local?.sha256 ?? null,
      remote: remote?.sha256 ?? null,
      // Refined by the caller once it has read the contents (a candidate may turn out binary).
      text: outcome === 'merged' || outcome === 'markers' || isMergeCandidate(local, remote),
      outcome,
      ...extra,
    });
  }

  /** Per path: nothing, a copy one way, or a conflict. */
  decide(path: string): void {
    const local = this.localNow.get(path) ?? null;
    const remote = this.remoteNow.get(path) ?? null;
    if (sameEntry(local, remote)) return;
    const known = this.input.base !== null;
    const base = this.baseNow.get(path) ?? null;
    const hiddenOn: SyncSide | null =
      !local && this.input.presentOnDisk?.local.has(path)
        ? 'local'
        : !remote && this.input.presentOnDisk?.remote.has(path)
          ? 'remote'
          : null;
    if (hiddenOn) return this.decideHidden(path, hiddenOn, known ? base : null, local, remote);
    if (known ? sameEntry(local, base) : local === null) return this.set('local', path, remote);
    if (known ? sameEntry(remote, base) : remote === null) return this.set('remote', path, local);
    if (base && local && remote) {
      const combined = combineAttributes(base, local, remote);
      if (combined) {
        this.set('local', path, combined);
        this.set('remote', path, combined);
        return;
      }
    }
    this.settle(path, known ? base : null, local, remote);
  }

  /**
   * A path `side` leaves out of its state but holds on disk. Unchanged on the other side since the
   * base: it counts as unchanged on `side` too (kept on both, the base keeps its entry). Changed or
   * new on the other side: it would be written over what `side` holds, so it is left to the user.
   */
  private decideHidden(path: string, side: SyncSide, base: Slot, local: Slot, remote: Slot): void {
    const other = side === 'local' ? remote : local;
    if (base && sameEntry(other, base)) {
      this.held.push({ path, side, why: 'kept' });
      return;
    }
    this.held.push({ path, side, why: 'not-written' });
    this.conflict(path, base, local, remote, 'unresolved', { text: false });
  }

  private settle(path: string, base: Slot, local: Slot, remote: Slot): void {
    const choice: ConflictStrategy =
      resolvedChoice(this.input.resolutions?.[path], local?.sha256 ?? null, remote?.sha256 ?? null) ??
      this.input.strategy;
    switch (choice) {
      case 'ask':
        return this.conflict(path, base, local, remote, 'unresolved');
      case 'local':
        this.set('remote', path, local);
        return this.conflict(path, base, local, remote, 'local');
      case 'remote':
        this.set('local', path, remote);
        return this.conflict(path, base, local, remote, 'remote');
      case 'merge':
        return this.merge(path, base, local, remote);
    }
  }

  private merge(path: string, base: Slot, local: Slot, remote: Slot): void {
    // Deleted on one side, changed on the other: the changed file stays.
    if (!local) return this.keepChanged(path, base, local, remote, 'remote');
    if (!remote) return this.keepChanged(path, base, local, remote, 'local');
    if (isMergeCandidate(local, remote)) {
      const settled = this.input.settlements?.get(path);
      if (!settled) {
        this.merges.push({ path, base, local, remote });
        return this.conflict(path, base, local, remote, 'unresolved');
      }
      if (settled.kind === 'text') {
        this.set('local', path, settled.entry);
        this.set('remote', path, settled.entry);
        return this.conflict(path, base, local, remote, settled.clean ? 'merged' : 'markers');
      }
    }
    // Binaries (and symlinks) keep both: the local file stays, the remote's is added beside it on both sides.
    const keptAs = keptBothName(path, (candidate) => this.isFreeFor(candidate, remote));
    this.reserve(keptAs);
    this.set('remote', path, local);
    this.set('local', keptAs, remote);
    this.set('remote', keptAs, remote);
    this.conflict(path, base, local, remote, 'kept-both', { keptAs, text: false });
  }

  private keepChanged(path: string, base: Slot, local: Slot, remote: Slot, outcome: 'local' | 'remote'): void {
    if (outcome === 'local') this.set('remote', path, local);
    else this.set('local', path, remote);
    this.conflict(path, base, local, remote, outcome);
  }

  /** Free: no side holds it (as a file or a folder), or where one does it already is this very entry. */
  private isFreeFor(candidate: string, entry: SyncManifestEntry): boolean {
    const taken = this.takenNames();
    if (!taken.has(candidate)) return true;
    if (this.reserved.has(candidate)) return false;
    const holders = [this.localNow, this.remoteNow, this.baseNow].map((side) => side.get(candidate));
    return holders.every((held) => held === undefined || sameEntry(held, entry)) && holders.some(Boolean);
  }

  /** Kept-both names given out (paths no side held before). */
  keptNames(): string[] {
    return [...this.reserved];
  }

  private reserve(name: string): void {
    this.reserved.add(name);
    this.takenNames().add(name);
    for (const folder of folderPrefixes(name)) this.takenNames().add(folder);
  }

  private takenNames(): Set<string> {
    if (!this.taken) {
      this.taken = new Set();
      const hidden = [...(this.input.presentOnDisk?.local ?? []), ...(this.input.presentOnDisk?.remote ?? [])];
      for (const paths of [this.localNow.keys(), this.remoteNow.keys(), this.baseNow.keys(), hidden])
        for (const path of paths) {
          this.taken.add(path);
          for (const folder of folderPrefixes(path)) this.taken.add(folder);
        }
    }
    return this.taken;
  }
}

/**
 * A new path that would be both a file and a folder on one side (a file `a` arriving where `a/b`
 * stays, or `a/b` where the file `a` stays) cannot be written: it is left out on that side and
 * listed as a conflict to sort out by renaming. Paths the side already holds were consistent
 * before, so only new ones are dropped.
 */
function dropFolderClashes(
  builder: PlanBuilder,
  side: SyncSide,
  now: ReadonlyMap<string, SyncManifestEntry>,
  other: ReadonlyMap<string, SyncManifestEntry>,
): void {
  const target = side === 'local' ? builder.local : builder.remote;
  const added = [...target.keys()].filter((path) => !now.has(path)).sort();
  if (added.length === 0) return;
  const folders = new Map<string, number>();
  const count = (path: string, delta: number): void => {
    for (const folder of folderPrefixes(path)) {
      const next = (folders.get(folder) ?? 0) + delta;
      if (next > 0) folders.set(folder, next);
      else folders.delete(folder);
    }
  };
  for (const path of target.keys()) count(path, 1);
  for (const path of added) {
    if (!folders.has(path) && !folderPrefixes(path).some((folder) => target.has(folder))) continue;
    const entry = target.get(path)!;
    target.delete(path);
    count(path, -1);
    const listed = builder.conflicts.find((conflict) => conflict.path === path);
    if (listed) {
      // The way it was settled cannot be applied on this side: it is the user's to sort out.
      listed.outcome = 'unresolved';
      delete listed.keptAs;
      continue;
    }
    const [local, remote] = side === 'local' ? [null, other.get(path) ?? entry] : [other.get(path) ?? entry, null];
    builder.conflict(path, null, local, remote, 'unresolved', { text: false });
  }
}

/** The plan for files: each side's target, what changes on each, the conflicts and the new base. */
export function planFiles(input: FilePlanInput): FilePlan {
  const localNow = byPath(input.local);
  const remoteNow = byPath(input.remote);
  const baseNow = byPath(input.base ?? []);
  const builder = new PlanBuilder(input, localNow, remoteNow, baseNow);
  const paths = [...new Set([...localNow.keys(), ...remoteNow.keys(), ...baseNow.keys()])].sort();
  for (const path of paths) builder.decide(path);
  dropFolderClashes(builder, 'local', localNow, remoteNow);
  dropFolderClashes(builder, 'remote', remoteNow, localNow);

  const kept = builder.keptNames();
  const sortedPaths = kept.length === 0 ? paths : [...paths, ...kept].sort();
  return collect(builder, sortedPaths, { localNow, remoteNow, baseNow });
}

/** Targets, changes and the new base in one pass over the sorted paths (200,000 entries stay quick). */
function collect(
  builder: PlanBuilder,
  sortedPaths: readonly string[],
  now: Record<'localNow' | 'remoteNow' | 'baseNow', ReadonlyMap<string, SyncManifestEntry>>,
): FilePlan {
  const plan: FilePlan = {
    localTarget: [],
    remoteTarget: [],
    localWrites: [],
    remoteWrites: [],
    localDeletes: [],
    remoteDeletes: [],
    conflicts: builder.conflicts.sort(comparePaths),
    merges: builder.merges,
    base: [],
    held: builder.held,
  };
  let previous: string | undefined;
  for (const path of sortedPaths) {
    if (path === previous) continue;
    previous = path;
    const local = builder.local.get(path);
    const remote = builder.remote.get(path);
    if (local) plan.localTarget.push(local);
    if (remote) plan.remoteTarget.push(remote);
    if (!sameEntry(now.localNow.get(path), local)) {
      if (local) plan.localWrites.push(local);
      else plan.localDeletes.push(path);
    }
    if (!sameEntry(now.remoteNow.get(path), remote)) {
      if (remote) plan.remoteWrites.push(remote);
      else plan.remoteDeletes.push(path);
    }
    const agreed = sameEntry(local, remote) ? local : now.baseNow.get(path);
    if (agreed) plan.base.push(agreed);
  }
  return plan;
}
