// One sync between two peers, run by the side that holds the base (docs/adr-hybrid-sync.md):
// read both states → refuse a hostile remote manifest → plan (merging texts where asked) → move
// only the blobs each side lacks, both ways, before anything is applied → apply on the remote →
// apply locally → the new base. An apply refused with changed_meanwhile plans again from fresh
// states; an apply cut short is caught up by the next run's three-way comparison (a side already
// holding the other's entry agrees with it), so either side is always whole, old or new.
import type {
  PeerApplyInput,
  PeerConversation,
  PeerStateDto,
  SyncManifestEntry,
  SyncRequest,
  SyncResultDto,
} from '../../contracts/sync';
import { planConversations, type ConversationCopy, type ConversationPlan } from './conversation-plan';
import { checkRemoteManifest, isOutsideSync } from './manifest-checks';
import { missingOn, moveBlobs } from './peer-blobs';
import { PresentOnDisk } from './present-on-disk';
import { ChangedMeanwhileError, mustThrow, type PeerStateAnswer, type SyncPeer, type SyncProgress } from './sync-peer';
import { checkTextConflicts, settleMerges } from './sync-merges';
import { endedClean, Tally } from './sync-tally';
import {
  planFiles,
  sameEntry,
  type FilePlan,
  type FilePlanInput,
  type HeldPath,
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
const LABEL_MAX_CHARS = 100;
/** Rounds of asking which absent paths a side holds on disk (a second only when a kept-both name met one). */
const PRESENT_ROUNDS = 3;

function label(otherName: string): string {
  const text = `before sync with ${otherName}`;
  return text.length <= LABEL_MAX_CHARS ? text : `${text.slice(0, LABEL_MAX_CHARS - 1)}…`;
}

function isState(answer: PeerStateAnswer, peer: SyncPeer): PeerStateDto {
  if ('unchanged' in answer) throw new Error(`${peer.name} answered "unchanged" to a plain state request`);
  return answer;
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
