// The conversation half of the planner: the same three-way rule as for files, per conversation id
// on its version hash (docs/adr-hybrid-sync.md). A conversation is whole — there is no merging two
// histories — so `merge` keeps both: the local one stays under its id on both sides, and the
// remote's is added on both under a new id with the title "<title> (remote)". Pure: the caller
// fetches the conversations the plan names and applies them.
import { randomUUID } from 'node:crypto';
import type {
  ConflictOutcome,
  ConflictResolution,
  ConflictStrategy,
  PeerConversationRef,
  SyncConflictDto,
  SyncMode,
} from '../../contracts/sync';
import { resolvedChoice, type SyncSide } from './three-way';

/** A conversation's title is at most this long (conversationTitleSchema). */
const TITLE_MAX_CHARS = 120;
const REMOTE_SUFFIX = ' (remote)';

/** Conversation id → version hash. */
export type ConversationVersions = Record<string, string>;

export interface ConversationPlanInput {
  /** null: the first sync. */
  base: Readonly<ConversationVersions> | null;
  local: readonly PeerConversationRef[];
  remote: readonly PeerConversationRef[];
  mode: SyncMode;
  strategy: ConflictStrategy;
  resolutions?: Readonly<Record<string, ConflictResolution>>;
  /** Ids for kept-both copies (a random UUID unless a test fixes them). */
  newId?: () => string;
}

/** A conversation one side receives: `sourceId` read `from` a side, stored as `id` (renamed to `title` when given). */
export interface ConversationCopy {
  from: SyncSide;
  sourceId: string;
  id: string;
  title?: string;
}

export interface ConversationPlan {
  localPuts: ConversationCopy[];
  remotePuts: ConversationCopy[];
  localDeletes: string[];
  remoteDeletes: string[];
  conflicts: SyncConflictDto[];
  /** The agreed versions once both sides are applied (kept-both copies join at the next sync). */
  base: ConversationVersions;
}

/** "<title> (remote)", shortened to fit a title. */
export function remoteCopyTitle(title: string): string {
  return title.slice(0, TITLE_MAX_CHARS - REMOTE_SUFFIX.length).trimEnd() + REMOTE_SUFFIX;
}

/** Per id: the version both hold when it is the same (absent on both: none), else the old base's. */
export function conversationBaseAfter(
  oldBase: Readonly<ConversationVersions> | null,
  local: Readonly<Record<string, string | undefined>>,
  remote: Readonly<Record<string, string | undefined>>,
): ConversationVersions {
  const result: ConversationVersions = {};
  const ids = new Set([...Object.keys(oldBase ?? {}), ...Object.keys(local), ...Object.keys(remote)]);
  for (const id of [...ids].sort()) {
    const [l, r] = [local[id], remote[id]];
    if (l === r) {
      if (l !== undefined) result[id] = l;
    } else if (oldBase && Object.hasOwn(oldBase, id)) result[id] = oldBase[id]!;
  }
  return result;
}

function versions(refs: readonly PeerConversationRef[]): Map<string, PeerConversationRef> {
  const map = new Map<string, PeerConversationRef>();
  for (const ref of refs) {
    if (map.has(ref.id)) throw new Error(`Conversation ${ref.id} is listed twice`);
    map.set(ref.id, ref);
  }
  return map;
}

export function planConversations(input: ConversationPlanInput): ConversationPlan {
  const localNow = versions(input.local);
  const remoteNow = versions(input.remote);
  const base = input.base;
  const newId = input.newId ?? randomUUID;
  const plan: ConversationPlan = {
    localPuts: [],
    remotePuts: [],
    localDeletes: [],
    remoteDeletes: [],
    conflicts: [],
    base: {},
  };
  // What each side will hold, by version (kept-both copies are left out: only the receiver knows their version).
  const localTarget: Record<string, string | undefined> = {};
  const remoteTarget: Record<string, string | undefined> = {};
  for (const [id, ref] of localNow) localTarget[id] = ref.version;
  for (const [id, ref] of remoteNow) remoteTarget[id] = ref.version;

  const mayChange = (side: SyncSide): boolean =>
    input.mode === 'both' || (side === 'local' ? input.mode === 'download' : input.mode === 'upload');
  /** `side` takes the other side's conversation `id` (or deletes it when the other has none). */
  const take = (side: SyncSide, id: string): void => {
    if (!mayChange(side)) return;
    const from: SyncSide = side === 'local' ? 'remote' : 'local';
    const source = (from === 'local' ? localNow : remoteNow).get(id);
    const target = side === 'local' ? localTarget : remoteTarget;
    if (source) {
      (side === 'local' ? plan.localPuts : plan.remotePuts).push({ from, sourceId: id, id });
      target[id] = source.version;
    } else {
      (side === 'local' ? plan.localDeletes : plan.remoteDeletes).push(id);
      delete target[id];
    }
  };
  const conflict = (id: string, outcome: ConflictOutcome, keptAs?: string): void => {
    const [l, r] = [localNow.get(id), remoteNow.get(id)];
    plan.conflicts.push({
      kind: 'conversation',
      path: id,
      title: l?.title ?? r?.title,
      base: base?.[id] ?? null,
      local: l?.version ?? null,
      remote: r?.version ?? null,
      text: false,
      outcome,
      ...(keptAs === undefined ? {} : { keptAs }),
    });
  };

  const ids = [...new Set([...localNow.keys(), ...remoteNow.keys(), ...Object.keys(base ?? {})])].sort();
  for (const id of ids) {
    const l = localNow.get(id)?.version ?? null;
    const r = remoteNow.get(id)?.version ?? null;
    if (l === r) continue;
    const b = base && Object.hasOwn(base, id) ? base[id]! : null;
    if (base ? l === b : l === null) {
      take('local', id);
      continue;
    }
    if (base ? r === b : r === null) {
      take('remote', id);
      continue;
    }
    const choice: ConflictStrategy = resolvedChoice(input.resolutions?.[id], l, r) ?? input.strategy;
    switch (choice) {
      case 'ask':
        conflict(id, 'unresolved');
        break;
      case 'local':
        take('remote', id);
        conflict(id, 'local');
        break;
      case 'remote':
        take('local', id);
        conflict(id, 'remote');
        break;
      case 'merge': {
        // Deleted on one side, changed on the other: the changed one stays.
        if (l === null) {
          take('local', id);
          conflict(id, 'remote');
          break;
        }
        if (r === null) {
          take('remote', id);
          conflict(id, 'local');
          break;
        }
        const copyId = newId();
        const title = remoteCopyTitle(remoteNow.get(id)!.title);
        take('remote', id);
        if (mayChange('local')) plan.localPuts.push({ from: 'remote', sourceId: id, id: copyId, title });
        if (mayChange('remote')) plan.remotePuts.push({ from: 'remote', sourceId: id, id: copyId, title });
        conflict(id, 'kept-both', copyId);
        break;
      }
    }
  }
  plan.base = conversationBaseAfter(base, localTarget, remoteTarget);
  return plan;
}
