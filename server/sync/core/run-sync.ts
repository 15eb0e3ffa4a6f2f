// One sync between two peers, run by the side that holds the base (docs/adr-hybrid-sync.md):
// read both states → refuse a hostile remote manifest → plan (merging texts where asked) → move
// only the blobs each side lacks, both ways, before anything is applied → apply on the remote →
// apply locally → the new base. An apply refused with changed_meanwhile plans again from fresh
// states; an apply cut short is caught up by the next run's three-way comparison (a side already
// holding the other's entry agrees with it), so either side is always whole, old or new.
import { createHash } from 'node:crypto';
import type {
  PeerApplyInput,
  PeerApplyResultDto,
  PeerConversation,
  PeerStateDto,
  SyncConflictDto,
  SyncManifestEntry,
  SyncRequest,
  SyncResultDto,
} from '../../contracts/sync';
import { SYNC_MAX_HASHES } from '../../contracts/sync';
import { planConversations, type ConversationCopy, type ConversationPlan } from './conversation-plan';
import { checkRemoteManifest, isOutsideSync, ManifestRefusedError } from './manifest-checks';
import {
  ChangedMeanwhileError,
  PeerRefusedError,
  type BlobContent,
  type PeerStateAnswer,
  type SyncPeer,
  type SyncProgress,
} from './sync-peer';
import { decodeText, mergeText } from './text-merge';
import {
  planFiles,
  sameEntry,
  type FilePlan,
  type FilePlanInput,
  type HeldPath,
  type MergeNeed,
  type MergeSettlement,
  type SyncSide,
} from './three-way';

export interface SyncBase {
  files: SyncManifestEntry[];
  conversations: Record<string, string>;
  /**
   * Each side's stateId when this base was agreed, and whether that sync left nothing open (a
   * two-way sync that worked, with no unresolved conflict and nothing held). With both sides
   * still at those ids, the next sync has nothing to do (the fast path: no manifest read).
   * Optional: a base saved before these existed takes the full path once.
   */
  localStateId?: string;
  remoteStateId?: string;
  clean?: boolean;
}

export interface RunSyncOptions {
  local: SyncPeer;
  remote: SyncPeer;
  /** The last agreed state; null for the first sync. */
  base: SyncBase | null;
  request: SyncRequest;
  onProgress?: (progress: SyncProgress) => void;
  signal?: AbortSignal;
}

export interface RunSyncOutcome {
  result: SyncResultDto;
  /** The new agreed state (every file of it held by the local side); the old one when the sync failed. */
  base: SyncBase;
  /** Each side's state after the run ('' when it could not be read). */
  localStateId: string;
  remoteStateId: string;
  /** Both sides were as the clean base left them: nothing was read beyond their stateIds, nothing changed. */
  nothingToDo?: boolean;
}

/** The first plan and up to three more after a changed_meanwhile refusal. */
const MAX_ATTEMPTS = 4;
/** Contents a merge reads at once (base, local and remote of several files). */
const MERGE_BATCH_BYTES = 32 * 1024 * 1024;
/** Contents read to tell text from binary for conflicts left to the user. */
const TEXT_CHECK_BYTES = 16 * 1024 * 1024;
const LABEL_MAX_CHARS = 100;
/** Rounds of asking which absent paths a side holds on disk (a second only when a kept-both name met one). */
const PRESENT_ROUNDS = 3;

function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let at = 0; at < items.length; at += size) result.push(items.slice(at, at + size));
  return result;
}

function label(otherName: string): string {
  const text = `before sync with ${otherName}`;
  return text.length <= LABEL_MAX_CHARS ? text : `${text.slice(0, LABEL_MAX_CHARS - 1)}…`;
}

/** Which of `hashes` the peer lacks, asked in calls of at most SYNC_MAX_HASHES. */
async function missingOn(peer: SyncPeer, hashes: Iterable<string>): Promise<Set<string>> {
  const missing = new Set<string>();
  for (const chunk of chunks([...new Set(hashes)], SYNC_MAX_HASHES))
    for (const hash of await peer.missing(chunk)) missing.add(hash);
  return missing;
}

/** A blob must be exactly as long as the manifest that named it said (a remote cannot make this side hold more). */
function checkLength(peer: SyncPeer, blob: BlobContent, sizes: ReadonlyMap<string, number>): void {
  const expected = sizes.get(blob.sha256);
  if (expected !== undefined && blob.content.length !== expected)
    throw new Error(
      `${peer.name} sent ${blob.content.length} bytes for the content ${blob.sha256}, which does not match the size its manifest gave (${expected})`,
    );
}

/** Reads these blobs into memory, each checked against its hash and against the size the manifest gave. */
async function readAll(peer: SyncPeer, entries: Iterable<SyncManifestEntry>): Promise<Map<string, Buffer>> {
  const sizes = new Map([...entries].map((entry) => [entry.sha256, entry.size]));
  const wanted = [...sizes.keys()];
  const contents = new Map<string, Buffer>();
  if (wanted.length === 0) return contents;
  for await (const blob of peer.readBlobs(wanted)) {
    if (!sizes.has(blob.sha256))
      throw new Error(`${peer.name} sent the content ${blob.sha256}, which was not asked for`);
    checkLength(peer, blob, sizes);
    if (sha256Hex(blob.content) !== blob.sha256)
      throw new Error(`${peer.name} sent a blob that does not match its hash`);
    contents.set(blob.sha256, blob.content);
  }
  const lacking = wanted.find((hash) => !contents.has(hash));
  if (lacking) throw new Error(`${peer.name} did not send the content ${lacking}`);
  return contents;
}

async function* fromMemory(blobs: readonly BlobContent[]): AsyncIterable<BlobContent> {
  for (const blob of blobs) yield blob;
}

/** The blobs as they stream by, each counted once it passed. */
async function* counted(blobs: AsyncIterable<BlobContent>, onBlob: (blob: BlobContent) => void) {
  for await (const blob of blobs) {
    onBlob(blob);
    yield blob;
  }
}

function isState(answer: PeerStateAnswer, peer: SyncPeer): PeerStateDto {
  if ('unchanged' in answer) throw new Error(`${peer.name} answered "unchanged" to a plain state request`);
  return answer;
}

/** What the attempts so far changed: a later attempt after changed_meanwhile adds to it. */
class Tally {
  readonly uploaded = new Set<string>();
  readonly downloaded = new Set<string>();
  readonly conversationsUploaded = new Set<string>();
  readonly conversationsDownloaded = new Set<string>();
  readonly conflicts = new Map<string, SyncConflictDto>();
  held: { path: string; reason: string }[] = [];
  beforeLocal: string | null = null;
  beforeRemote: string | null = null;
  localStateId = '';
  remoteStateId = '';
  /** The new base forgot an entry neither side could give: that path compares as new next time. */
  forgotten = false;

  applied(side: SyncSide, files: FilePlan, conversations: ConversationPlan | null, result: PeerApplyResultDto): void {
    const [paths, ids] =
      side === 'local' ? [this.downloaded, this.conversationsDownloaded] : [this.uploaded, this.conversationsUploaded];
    const [writes, deletes] =
      side === 'local' ? [files.localWrites, files.localDeletes] : [files.remoteWrites, files.remoteDeletes];
    for (const entry of writes) paths.add(entry.path);
    for (const path of deletes) paths.add(path);
    if (conversations) {
      const [puts, gone] =
        side === 'local'
          ? [conversations.localPuts, conversations.localDeletes]
          : [conversations.remotePuts, conversations.remoteDeletes];
      for (const copy of puts) ids.add(copy.id);
      for (const id of gone) ids.add(id);
    }
    if (side === 'local') {
      this.beforeLocal ??= result.beforeSnapshotId;
      this.localStateId = result.stateId;
    } else {
      this.beforeRemote ??= result.beforeSnapshotId;
      this.remoteStateId = result.stateId;
    }
  }

  noteConflicts(conflicts: readonly SyncConflictDto[]): void {
    for (const conflict of conflicts) this.conflicts.set(`${conflict.kind}:${conflict.path}`, conflict);
  }

  result(success: boolean, errors: string[]): SyncResultDto {
    const sorted = (set: Set<string>): string[] => [...set].sort();
    return {
      success,
      filesUploaded: this.uploaded.size,
      filesDownloaded: this.downloaded.size,
      conversationsUploaded: this.conversationsUploaded.size,
      conversationsDownloaded: this.conversationsDownloaded.size,
      conflicts: [...this.conflicts.values()],
      errors,
      timestamp: new Date().toISOString(),
      uploaded: sorted(this.uploaded),
      downloaded: sorted(this.downloaded),
      beforeSnapshots: { local: this.beforeLocal, remote: this.beforeRemote },
      ...(this.held.length > 0 ? { held: this.held } : {}),
    };
  }
}

/** Errors the caller must see as such (a refused token, a hostile remote, a cancel) rather than as a failed sync. */
function mustThrow(error: unknown, signal: AbortSignal | undefined): boolean {
  return error instanceof PeerRefusedError || error instanceof ManifestRefusedError || signal?.aborted === true;
}

/** Whether a sync that worked left both sides alike with nothing open: then equal stateIds later mean nothing to do. */
function endedClean(result: SyncResultDto, request: SyncRequest, tally: Tally): boolean {
  return (
    result.success &&
    request.mode === 'both' &&
    !tally.forgotten &&
    tally.held.length === 0 &&
    result.conflicts.every((conflict) => conflict.outcome !== 'unresolved') &&
    tally.localStateId !== '' &&
    tally.remoteStateId !== ''
  );
}

export async function runSync(options: RunSyncOptions): Promise<RunSyncOutcome> {
  const tally = new Tally();
  const oldBase: SyncBase = options.base ?? { files: [], conversations: {} };
  for (let attempt = 1; ; attempt++) {
    try {
      const agreed = await attemptSync(options, tally, attempt === 1);
      const result = tally.result(true, []);
      if (agreed === 'unchanged')
        return {
          result,
          base: oldBase,
          localStateId: tally.localStateId,
          remoteStateId: tally.remoteStateId,
          nothingToDo: true,
        };
      return {
        result,
        base: {
          ...agreed,
          localStateId: tally.localStateId,
          remoteStateId: tally.remoteStateId,
          clean: endedClean(result, options.request, tally),
        },
        localStateId: tally.localStateId,
        remoteStateId: tally.remoteStateId,
      };
    } catch (error) {
      if (mustThrow(error, options.signal)) throw error;
      if (error instanceof ChangedMeanwhileError && attempt < MAX_ATTEMPTS) continue;
      const reason =
        error instanceof ChangedMeanwhileError
          ? `The project kept changing during the sync (${attempt} tries); sync again`
          : error instanceof Error
            ? error.message
            : String(error);
      return {
        result: tally.result(false, [reason]),
        base: oldBase,
        localStateId: tally.localStateId,
        remoteStateId: tally.remoteStateId,
      };
    }
  }
}

/** The merged file's mode: the same on both, else the side that changed it. */
function mergedMode(merge: MergeNeed): number {
  const { base, local, remote } = merge;
  if (local.mode === remote.mode) return local.mode;
  return base && local.mode === base.mode ? remote.mode : local.mode;
}

/**
 * Runs the text merges the plan asks for: reads base (from the local side, which keeps the base),
 * local and remote contents a batch at a time, merges texts and puts each merged content on the
 * sides that will hold it. A base the local side cannot give makes the merge two-way.
 */
async function settleMerges(
  merges: readonly MergeNeed[],
  options: RunSyncOptions,
): Promise<{ settlements: Map<string, MergeSettlement>; mergedHashes: Set<string> }> {
  const { local, remote, request, signal } = options;
  const settlements = new Map<string, MergeSettlement>();
  const mergedHashes = new Set<string>();
  const baseHashes = merges.flatMap((merge) => (merge.base ? [merge.base.sha256] : []));
  const baseMissing = await missingOn(local, baseHashes);

  const batches: MergeNeed[][] = [[]];
  let batchBytes = 0;
  for (const merge of merges) {
    const bytes = merge.local.size + merge.remote.size + (merge.base?.size ?? 0);
    if (batchBytes + bytes > MERGE_BATCH_BYTES && batches.at(-1)!.length > 0) {
      batches.push([]);
      batchBytes = 0;
    }
    batches.at(-1)!.push(merge);
    batchBytes += bytes;
  }

  for (const batch of batches) {
    signal?.throwIfAborted();
    const [localContents, remoteContents] = await Promise.all([
      readAll(
        local,
        batch.map((merge) => merge.local),
      ),
      readAll(
        remote,
        batch.map((merge) => merge.remote),
      ),
    ]);
    let baseContents = new Map<string, Buffer>();
    const wantedBase = batch.flatMap((merge) =>
      merge.base && !baseMissing.has(merge.base.sha256) ? [merge.base] : [],
    );
    try {
      baseContents = await readAll(local, wantedBase);
    } catch (error) {
      if (mustThrow(error, signal)) throw error;
      // The base is gone after all: these merges are two-way.
    }
    // What each side receives from this batch: merged texts go to both; for a binary, the contents
    // just read are what the kept-both copies need, so they are not read a second time.
    const toLocal = new Map<string, Buffer>();
    const toRemote = new Map<string, Buffer>();
    for (const merge of batch) {
      const localContent = localContents.get(merge.local.sha256)!;
      const remoteContent = remoteContents.get(merge.remote.sha256)!;
      const localText = decodeText(localContent);
      const remoteText = decodeText(remoteContent);
      if (localText === null || remoteText === null) {
        settlements.set(merge.path, { kind: 'binary' });
        toLocal.set(merge.remote.sha256, remoteContent);
        toRemote.set(merge.local.sha256, localContent);
        continue;
      }
      const baseContent = merge.base ? baseContents.get(merge.base.sha256) : undefined;
      const baseText = baseContent ? decodeText(baseContent) : null;
      const { content, clean } = mergeText(baseText, localText, remoteText);
      const bytes = Buffer.from(content, 'utf8');
      const sha256 = sha256Hex(bytes);
      toLocal.set(sha256, bytes);
      toRemote.set(sha256, bytes);
      mergedHashes.add(sha256);
      settlements.set(merge.path, {
        kind: 'text',
        entry: { path: merge.path, mode: mergedMode(merge), size: bytes.length, sha256 },
        clean,
      });
    }
    // Blobs alone change nothing, so both sides may receive them before any apply.
    const blobs = (contents: Map<string, Buffer>): BlobContent[] =>
      [...contents].map(([sha256, content]) => ({ sha256, content }));
    if (request.mode !== 'upload' && toLocal.size > 0) await local.putBlobs(fromMemory(blobs(toLocal)));
    if (request.mode !== 'download' && toRemote.size > 0) await remote.putBlobs(fromMemory(blobs(toRemote)));
  }
  return { settlements, mergedHashes };
}

/** Conflicts left to the user show a side-by-side diff only for texts: read them to be sure (within a budget). */
async function checkTextConflicts(
  conflicts: SyncConflictDto[],
  localFiles: ReadonlyMap<string, SyncManifestEntry>,
  remoteFiles: ReadonlyMap<string, SyncManifestEntry>,
  options: RunSyncOptions,
): Promise<void> {
  let budget = TEXT_CHECK_BYTES;
  const checked = conflicts.filter((conflict) => {
    if (conflict.kind !== 'file' || conflict.outcome !== 'unresolved' || !conflict.text) return false;
    const bytes = (localFiles.get(conflict.path)?.size ?? 0) + (remoteFiles.get(conflict.path)?.size ?? 0);
    budget -= bytes;
    return budget >= 0;
  });
  if (checked.length === 0) return;
  const [localContents, remoteContents] = await Promise.all([
    readAll(
      options.local,
      checked.map((conflict) => localFiles.get(conflict.path)!),
    ),
    readAll(
      options.remote,
      checked.map((conflict) => remoteFiles.get(conflict.path)!),
    ),
  ]);
  for (const conflict of checked)
    conflict.text =
      decodeText(localContents.get(conflict.local!)!) !== null &&
      decodeText(remoteContents.get(conflict.remote!)!) !== null;
}

/** Streams `hashes` from one peer to the other, reporting content bytes. */
async function moveBlobs(
  from: SyncPeer,
  to: SyncPeer,
  hashes: readonly string[],
  sizes: ReadonlyMap<string, number>,
  phase: 'upload' | 'download',
  options: RunSyncOptions,
): Promise<void> {
  if (hashes.length === 0) return;
  options.signal?.throwIfAborted();
  const total = hashes.reduce((sum, hash) => sum + (sizes.get(hash) ?? 0), 0);
  let done = 0;
  options.onProgress?.({ phase, done, total });
  await to.putBlobs(
    counted(from.readBlobs([...hashes]), (blob) => {
      checkLength(from, blob, sizes);
      done += blob.content.length;
      options.onProgress?.({ phase, done, total });
    }),
  );
}

/** The conversations each side receives, read from the side that has them (renamed where kept both). */
async function conversationsToPut(
  plan: ConversationPlan,
  local: SyncPeer,
  remote: SyncPeer,
): Promise<{ toLocal: PeerConversation[]; toRemote: PeerConversation[] }> {
  const copies = [...plan.localPuts, ...plan.remotePuts];
  const idsFrom = (side: SyncSide): string[] => [
    ...new Set(copies.filter((copy) => copy.from === side).map((copy) => copy.sourceId)),
  ];
  const read = async (peer: SyncPeer, ids: string[]): Promise<Map<string, PeerConversation>> => {
    if (ids.length === 0) return new Map();
    const found = new Map((await peer.conversations(ids)).map((item) => [item.id, item]));
    const lacking = ids.find((id) => !found.has(id));
    if (lacking) throw new Error(`${peer.name} did not send conversation ${lacking}`);
    return found;
  };
  const [fromLocal, fromRemote] = await Promise.all([read(local, idsFrom('local')), read(remote, idsFrom('remote'))]);
  const build = (copy: ConversationCopy): PeerConversation => {
    const source = (copy.from === 'local' ? fromLocal : fromRemote).get(copy.sourceId)!;
    const conversation = copy.title === undefined ? source.conversation : { ...source.conversation, title: copy.title };
    return { id: copy.id, conversation };
  };
  return { toLocal: plan.localPuts.map(build), toRemote: plan.remotePuts.map(build) };
}

/**
 * Asks each side which of the paths a plan would delete on the other side (absent from this
 * side's state) or write here (absent from this side's state) it holds on disk all the same —
 * one call per side and round, each path asked once. Peers without `present` are not asked.
 */
class PresentOnDisk {
  private readonly asked: Record<SyncSide, Set<string>> = { local: new Set(), remote: new Set() };

  constructor(
    private readonly options: RunSyncOptions,
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

function heldReason(held: HeldPath, options: RunSyncOptions): string {
  const [holder, other] = held.side === 'local' ? [options.local, options.remote] : [options.remote, options.local];
  const where = `${holder.name} has it on disk but does not sync it (ignored, too large or unreadable)`;
  return held.why === 'kept'
    ? `${where}: not deleted on ${other.name}`
    : `${where}: not written over; resolve it there (stop ignoring it, or remove it) and sync again`;
}

function byPath(entries: readonly SyncManifestEntry[]): Map<string, SyncManifestEntry> {
  return new Map(entries.map((entry) => [entry.path, entry]));
}

/**
 * Both sides' states. After a clean sync (first attempt only) the remote is asked with the stateId
 * it had then: 'unchanged' when it still has it and the local side is still at its own — nothing
 * to do, and the remote's manifest is never sent or parsed. When only the remote is unchanged, its
 * full state is asked for after all (a sync with work to do pays one more round trip).
 */
async function readStates(
  options: RunSyncOptions,
  firstAttempt: boolean,
): Promise<{ local: PeerStateDto; remote: PeerStateDto } | 'unchanged'> {
  const { local, remote, base, signal } = options;
  const known =
    firstAttempt && base?.clean === true && base.localStateId && base.remoteStateId ? base.remoteStateId : undefined;
  // The remote first: its request is on its way (and answered) while the local side reads itself.
  const [remoteAnswer, localState] = await Promise.all([
    remote.state(known === undefined ? { signal } : { known, signal }),
    local.state({ signal }).then((answer) => isState(answer, local)),
  ]);
  if (!('unchanged' in remoteAnswer)) return { local: localState, remote: remoteAnswer };
  if (known === undefined) throw new Error(`${remote.name} answered "unchanged" to a plain state request`);
  if (remoteAnswer.stateId !== known)
    throw new Error(`${remote.name} answered "unchanged" for a state not asked about`);
  if (localState.stateId === base?.localStateId) return 'unchanged';
  signal?.throwIfAborted();
  return { local: localState, remote: isState(await remote.state({ signal }), remote) };
}

async function attemptSync(
  options: RunSyncOptions,
  tally: Tally,
  firstAttempt: boolean,
): Promise<Omit<SyncBase, 'localStateId' | 'remoteStateId' | 'clean'> | 'unchanged'> {
  const { local, remote, request, signal } = options;
  const base = options.base;
  signal?.throwIfAborted();
  options.onProgress?.({ phase: 'state', done: 0, total: 2 });
  const states = await readStates(options, firstAttempt);
  options.onProgress?.({ phase: 'state', done: 2, total: 2 });
  if (states === 'unchanged') {
    tally.localStateId = base?.localStateId ?? '';
    tally.remoteStateId = base?.remoteStateId ?? '';
    return 'unchanged';
  }
  const { local: localState, remote: remoteState } = states;
  tally.localStateId = localState.stateId;
  tally.remoteStateId = remoteState.stateId;
  checkRemoteManifest(remoteState.files);
  // This side's own `.git/` (and `.berth/`) never travel: planned without them, kept through its apply.
  // LocalPeer and the CLI's FolderPeer already leave them out of their states (and keep them through
  // their applies), so for them this finds none; it guards a peer whose state would hold them.
  const localKept = localState.files.filter((entry) => isOutsideSync(entry.path));
  const localSynced =
    localKept.length === 0 ? localState.files : localState.files.filter((e) => !isOutsideSync(e.path));

  const localFiles = byPath(localSynced);
  const remoteFiles = byPath(remoteState.files);
  const presentOnDisk: Record<SyncSide, Set<string>> = { local: new Set(), remote: new Set() };
  const planInput: FilePlanInput = {
    base: base?.files ?? null,
    local: localSynced,
    remote: remoteState.files,
    mode: request.mode,
    strategy: request.onConflict,
    resolutions: request.resolutions,
    presentOnDisk,
  };
  const present = new PresentOnDisk(options, localFiles, remoteFiles, presentOnDisk);
  // Planned, then planned again while a side turns out to hold, outside its state, a path the plan
  // would delete on the other side or write over on this one — before any blob moves.
  const plan = async (settlements?: ReadonlyMap<string, MergeSettlement>): Promise<FilePlan> => {
    const input = settlements ? { ...planInput, settlements } : planInput;
    let planned = planFiles(input);
    for (let round = 0; round < PRESENT_ROUNDS && (await present.ask(planned)); round++) planned = planFiles(input);
    return planned;
  };
  let files = await plan();
  let mergedHashes = new Set<string>();
  if (files.merges.length > 0) {
    const settled = await settleMerges(files.merges, options);
    mergedHashes = settled.mergedHashes;
    files = await plan(settled.settlements);
  }
  await checkTextConflicts(files.conflicts, localFiles, remoteFiles, options);
  const conversations =
    local.conversationsSupported && remote.conversationsSupported
      ? planConversations({
          base: base ? base.conversations : null,
          local: localState.conversations,
          remote: remoteState.conversations,
          mode: request.mode,
          strategy: request.onConflict,
          resolutions: request.resolutions,
        })
      : null;
  const conflicts = [...files.conflicts, ...(conversations?.conflicts ?? [])];

  // Every blob travels before anything is applied: to the remote what it lacks of its new files…
  const sizesOf = (entries: readonly SyncManifestEntry[]) =>
    new Map(entries.map((entry) => [entry.sha256, entry.size]));
  const toRemote = files.remoteWrites.map((entry) => entry.sha256).filter((hash) => !mergedHashes.has(hash));
  await moveBlobs(local, remote, [...(await missingOn(remote, toRemote))], sizesOf(localSynced), 'upload', options);
  // …and to the local side what it lacks of its new files and of the new base (it keeps the base).
  const localTarget = byPath(files.localTarget);
  const baseOnly = files.base.filter((entry) => !sameEntry(localTarget.get(entry.path), entry));
  const toLocal = [...files.localWrites, ...baseOnly]
    .map((entry) => entry.sha256)
    .filter((hash) => !mergedHashes.has(hash));
  const localMissing = await missingOn(local, toLocal);
  const remoteHolds = new Set(remoteState.files.map((entry) => entry.sha256));
  await moveBlobs(
    remote,
    local,
    [...localMissing].filter((hash) => remoteHolds.has(hash)),
    sizesOf(remoteState.files),
    'download',
    options,
  );
  // A base entry neither side can give any more is forgotten: that path compares as new next time.
  const newBaseFiles = files.base.filter((entry) => !localMissing.has(entry.sha256) || remoteHolds.has(entry.sha256));
  tally.forgotten = newBaseFiles.length < files.base.length;
  const puts = conversations ? await conversationsToPut(conversations, local, remote) : null;
  signal?.throwIfAborted();

  const changeCount = (side: SyncSide): number => {
    const fileChanges =
      side === 'local'
        ? files.localWrites.length + files.localDeletes.length
        : files.remoteWrites.length + files.remoteDeletes.length;
    if (!conversations) return fileChanges;
    return (
      fileChanges +
      (side === 'local'
        ? conversations.localPuts.length + conversations.localDeletes.length
        : conversations.remotePuts.length + conversations.remoteDeletes.length)
    );
  };
  const total = changeCount('remote') + changeCount('local');
  let done = 0;
  const apply = async (side: SyncSide): Promise<void> => {
    const count = changeCount(side);
    if (count === 0) return;
    const [peer, other, state] = side === 'local' ? [local, remote, localState] : [remote, local, remoteState];
    const put = side === 'local' ? puts?.toLocal : puts?.toRemote;
    const gone = side === 'local' ? conversations?.localDeletes : conversations?.remoteDeletes;
    const input: PeerApplyInput = {
      expectedStateId: state.stateId,
      files: side === 'local' ? [...files.localTarget, ...localKept] : files.remoteTarget,
      label: label(other.name),
      ...((put?.length ?? 0) + (gone?.length ?? 0) > 0
        ? { conversations: { put: put ?? [], delete: gone ?? [] } }
        : {}),
    };
    options.onProgress?.({ phase: 'apply', done, total });
    const result = await peer.apply(input);
    done += count;
    options.onProgress?.({ phase: 'apply', done, total });
    tally.applied(side, files, conversations, result);
    tally.noteConflicts(conflicts);
  };
  await apply('remote');
  await apply('local');
  tally.noteConflicts(conflicts);
  tally.held = files.held.map((held) => ({ path: held.path, reason: heldReason(held, options) }));
  return {
    files: newBaseFiles,
    conversations: conversations ? conversations.base : { ...(base?.conversations ?? {}) },
  };
}
