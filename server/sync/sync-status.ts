// GET /api/v1/projects/:id/sync (issue 18): the link's last sync plus a live look at both sides.
// pendingChanges counts the files and conversations on which the two sides now differ (each one
// changed on at least one side since the last agreed state: what a two-way sync would carry or
// find in conflict). The remote's state is asked with the state id it had last (`known`), so an
// unchanged remote answers in a few bytes and its files are taken from the answer kept here.
// Answers are kept a few seconds (a dashboard asks for every linked project) and dropped when
// the project syncs. A side that cannot be read makes the status 'error' with the reason; the
// count then covers this side's own changes only.
import type { PeerStateDto, SyncConflictDto, SyncResultDto, SyncStatusDto } from '../contracts';
import { DomainError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { SyncBaseStore } from './links/sync-base';
import { notLinked, type LinkProjects, type LinkService } from './links/link-service';
import type { PeerStateAnswer } from './core/sync-peer';
import { reasonOf, withinMs } from './remotes/remote-errors';
import type { RemoteService } from './remotes/remote-service';
import { unresolvedOf, type LocalPeerFactory } from './sync-service';

/** How long this Berth's side may take to report its state. */
const LOCAL_TIMEOUT_MS = 10_000;
/** How long the remote may take (a status is a glance, not a sync). */
const REMOTE_TIMEOUT_MS = 5_000;
/** How long an answer is reused. */
const FRESH_MS = 3_000;

export interface SyncStatusDeps {
  projects: LinkProjects;
  links: Pick<LinkService, 'find'>;
  remotes: Pick<RemoteService, 'open'>;
  bases: SyncBaseStore;
  localPeer: LocalPeerFactory;
  log: Logger;
}

interface Versions {
  files: Map<string, string>;
  conversations: Map<string, string>;
}

export class SyncStatusService {
  /** The remote's last full state per project, for `known`. */
  private readonly remoteStates = new Map<string, PeerStateDto>();
  private readonly answers = new Map<string, { at: number; status: Promise<SyncStatusDto> }>();

  constructor(private readonly deps: SyncStatusDeps) {}

  async status(userId: string, projectId: string): Promise<SyncStatusDto> {
    await this.deps.projects.get(userId, projectId);
    const kept = this.answers.get(projectId);
    if (kept && Date.now() - kept.at < FRESH_MS) return kept.status;
    const status = this.read(userId, projectId);
    this.answers.set(projectId, { at: Date.now(), status });
    status.catch(() => this.answers.delete(projectId));
    return status;
  }

  /** The project synced or was unlinked: its next status is read afresh. */
  forget(projectId: string): void {
    this.answers.delete(projectId);
  }

  /** Unlinked: the remote state kept for it goes too. */
  unlinked(projectId: string): void {
    this.answers.delete(projectId);
    this.remoteStates.delete(projectId);
  }

  private async read(userId: string, projectId: string): Promise<SyncStatusDto> {
    const link = await this.deps.links.find(userId, projectId);
    if (!link) throw notLinked();
    const lastSyncedAt = link.lastSyncedAt?.toISOString() ?? null;
    const lastResult = link.lastResult as SyncResultDto | null;
    const conflicts = unresolvedOf(lastResult?.conflicts ?? []);
    const base = await this.deps.bases.read(link);
    const baseVersions: Versions = {
      files: new Map(base?.files.map((file) => [file.path, entryVersion(file)])),
      conversations: new Map(Object.entries(base?.conversations ?? {})),
    };

    let local: Versions;
    try {
      local = versionsOf(
        await withinMs(this.deps.localPeer(userId, projectId).state(), LOCAL_TIMEOUT_MS, 'This project'),
      );
    } catch (error) {
      return { status: 'error', lastSyncedAt, pendingChanges: 0, conflicts, error: this.reason(error) };
    }
    let remote: Versions;
    try {
      remote = versionsOf(await this.remoteState(userId, projectId, link));
    } catch (error) {
      const pendingChanges = differing(local, baseVersions).size;
      return { status: 'error', lastSyncedAt, pendingChanges, conflicts, error: this.reason(error) };
    }
    const pending = differing(local, remote);
    // A conflict settled by hand since (both sides now alike) is no longer one.
    const open = conflicts.filter((conflict) => pending.has(keyOf(conflict)));
    // The last sync failed and the sides still differ: the light stays ⚫ with its reason until one works.
    if (link.lastStatus === 'error' && pending.size > 0)
      return {
        status: 'error',
        lastSyncedAt,
        pendingChanges: pending.size,
        conflicts: open,
        error: link.lastError ?? 'The last sync did not finish',
      };
    return {
      status: open.length > 0 ? 'conflict' : pending.size > 0 ? 'pending' : 'synced',
      lastSyncedAt,
      pendingChanges: pending.size,
      conflicts: open,
    };
  }

  private async remoteState(
    userId: string,
    projectId: string,
    link: { remoteId: string; remoteProjectId: string },
  ): Promise<PeerStateDto> {
    const remote = await this.deps.remotes.open(userId, link.remoteId);
    const peer = remote.client.peer(link.remoteProjectId, remote.name);
    const kept = this.remoteStates.get(projectId);
    const signal = AbortSignal.timeout(REMOTE_TIMEOUT_MS);
    const answer: PeerStateAnswer = await peer.state({ known: kept?.stateId, signal }).catch((error: unknown) => {
      if (signal.aborted) throw new Error(`${remote.name} did not answer within ${REMOTE_TIMEOUT_MS / 1000} s`);
      throw error;
    });
    if ('unchanged' in answer && kept && answer.stateId === kept.stateId) return kept;
    if ('unchanged' in answer)
      throw new Error(`${remote.name} answered "unchanged" for a state it was not asked about`);
    this.remoteStates.set(projectId, answer);
    return answer;
  }

  private reason(error: unknown): string {
    if (error instanceof DomainError) return error.message;
    return reasonOf(error);
  }
}

const entryVersion = (entry: { sha256: string; mode: number }) => `${entry.sha256}:${entry.mode}`;
const keyOf = (conflict: SyncConflictDto) => `${conflict.kind}:${conflict.path}`;

function versionsOf(state: PeerStateAnswer): Versions {
  if ('unchanged' in state) throw new Error('The project answered "unchanged" to a plain state request');
  return {
    files: new Map(state.files.map((file) => [file.path, entryVersion(file)])),
    conversations: new Map(state.conversations.map((conversation) => [conversation.id, conversation.version])),
  };
}

/** Keys (`file:<path>`, `conversation:<id>`) whose versions differ between the two. */
function differing(a: Versions, b: Versions): Set<string> {
  const keys = new Set<string>();
  for (const kind of ['files', 'conversations'] as const) {
    const prefix = kind === 'files' ? 'file:' : 'conversation:';
    for (const [key, version] of a[kind]) if (b[kind].get(key) !== version) keys.add(prefix + key);
    for (const key of b[kind].keys()) if (!a[kind].has(key)) keys.add(prefix + key);
  }
  return keys;
}
