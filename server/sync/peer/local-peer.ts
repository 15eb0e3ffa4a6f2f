// This Berth's own project as a SyncPeer (the initiator's local side): the same PeerService the
// HTTP routes use, bound to one user and project, so a sync checks and journals the local side
// exactly as a remote Berth does its own.
import type { PeerApplyInput, PeerApplyResultDto, PeerConversation } from '../../contracts';
import type { BlobContent, PeerStateAnswer, SyncPeer } from '../core/sync-peer';
import type { PeerService } from './peer-service';

export class LocalPeer implements SyncPeer {
  readonly conversationsSupported = true;

  constructor(
    private readonly service: PeerService,
    private readonly userId: string,
    private readonly projectId: string,
    /** How this side is named in labels ("before sync with <name>" on the remote). */
    readonly name: string,
  ) {}

  state(options?: { known?: string; waitMs?: number; signal?: AbortSignal }): Promise<PeerStateAnswer> {
    return this.service.state(this.userId, this.projectId, options);
  }

  missing(hashes: string[]): Promise<string[]> {
    return this.service.missing(this.userId, this.projectId, hashes);
  }

  putBlobs(
    blobs: AsyncIterable<BlobContent>,
    onBytes?: (bytes: number) => void,
  ): Promise<{ stored: number; bytes: number }> {
    return this.service.putBlobs(this.userId, this.projectId, blobs, { onBytes });
  }

  async *readBlobs(hashes: string[], onBytes?: (bytes: number) => void): AsyncGenerator<BlobContent> {
    for await (const blob of await this.service.readBlobs(this.userId, this.projectId, hashes)) {
      onBytes?.(blob.content.length);
      yield blob;
    }
  }

  present(paths: string[]): Promise<string[]> {
    return this.service.present(this.userId, this.projectId, paths);
  }

  conversations(ids: string[]): Promise<PeerConversation[]> {
    return this.service.conversations(this.userId, this.projectId, ids);
  }

  apply(input: PeerApplyInput): Promise<PeerApplyResultDto> {
    return this.service.apply(this.userId, this.projectId, input);
  }
}
