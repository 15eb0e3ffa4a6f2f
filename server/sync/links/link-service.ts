// A project's link to a project on one of the user's remotes (issue 18): one per project (the
// SyncLink row is keyed by projectId). PUT checks the remote project exists (the remote's own
// project list, with the user's token there) or creates it with this project's name and
// template; re-linking elsewhere starts over (the old base goes), the same target only changes
// the settings. DELETE unlinks and deletes the base snapshot. Changes run under the project's
// sync lock, so they never interleave with a sync of it.
import type { LinkDto, PutLinkInput, ProjectDto } from '../../contracts';
import { DomainError } from '../../core/errors';
import type { KeyedLock } from '../../core/keyed-lock';
import type { PrismaClient } from '../../db';
import { isRefusal, remoteRefused, remoteUnreachable, withinMs } from '../remotes/remote-errors';
import type { OpenedRemote, RemoteService } from '../remotes/remote-service';

/** How long the remote may take to list or create its project. */
const REMOTE_TIMEOUT_MS = 30_000;

export interface LinkProjects {
  /** Throws 404 when the project does not exist or is not the user's. */
  get(userId: string, projectId: string): Promise<ProjectDto>;
}

export interface LinkSettings {
  autoSync?: boolean;
  intervalMinutes?: number;
}

/** What automatic sync needs to know of a link (create-sync.ts wires it to AutoSync). */
export interface LinkWatcher {
  onDidChangeLink(
    projectId: string,
    settings: { autoSync: boolean; intervalMinutes: number; userId: string } | null,
  ): void;
}

type LinkWithRemote = NonNullable<Awaited<ReturnType<LinkService['find']>>>;

export const notLinked = () =>
  new DomainError('not_found', 'sync_not_linked', 'This project is not linked to a remote project');

export class LinkService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: LinkProjects,
    private readonly remotes: Pick<RemoteService, 'open'>,
    private readonly projectLock: KeyedLock,
    private readonly watcher: LinkWatcher,
  ) {}

  async get(userId: string, projectId: string): Promise<LinkDto> {
    await this.projects.get(userId, projectId);
    const link = await this.find(userId, projectId);
    if (!link) throw notLinked();
    return toLinkDto(link);
  }

  /** The link with its remote, or null; the project must already be known to be the user's. */
  find(userId: string, projectId: string) {
    return this.prisma.syncLink.findFirst({ where: { projectId, remote: { userId } }, include: { remote: true } });
  }

  async put(userId: string, projectId: string, input: PutLinkInput & LinkSettings): Promise<LinkDto> {
    const project = await this.projects.get(userId, projectId);
    const remote = await this.remotes.open(userId, input.remoteId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'sync_no_such_remote')
        throw new DomainError('bad_request', 'sync_no_such_remote', 'No such remote', {
          fieldErrors: { remoteId: ['No such remote'] },
        });
      throw error;
    });
    const target = await this.remoteProject(remote, project, input);
    const link = await this.projectLock.run(projectId, async () => {
      const settings = {
        ...(input.autoSync !== undefined ? { autoSync: input.autoSync } : {}),
        ...(input.intervalMinutes !== undefined ? { intervalMinutes: input.intervalMinutes } : {}),
      };
      const existing = await this.prisma.syncLink.findUnique({ where: { projectId } });
      if (existing && existing.remoteId === remote.id && existing.remoteProjectId === target.id) {
        return this.prisma.syncLink.update({
          where: { projectId },
          data: { remoteProjectName: target.name, ...settings },
          include: { remote: true },
        });
      }
      // A new target: nothing agreed with it yet.
      return this.prisma.$transaction(async (tx) => {
        if (existing) {
          await tx.syncLink.delete({ where: { projectId } });
          if (existing.baseSnapshotId)
            await tx.snapshot.deleteMany({ where: { id: existing.baseSnapshotId, projectId, reason: 'sync' } });
        }
        return tx.syncLink.create({
          data: {
            projectId,
            remoteId: remote.id,
            remoteProjectId: target.id,
            remoteProjectName: target.name,
            autoSync: settings.autoSync ?? existing?.autoSync ?? false,
            intervalMinutes: settings.intervalMinutes ?? existing?.intervalMinutes ?? 0,
          },
          include: { remote: true },
        });
      });
    });
    this.watcher.onDidChangeLink(projectId, {
      autoSync: link.autoSync,
      intervalMinutes: link.intervalMinutes,
      userId,
    });
    return toLinkDto(link);
  }

  async remove(userId: string, projectId: string): Promise<void> {
    await this.projects.get(userId, projectId);
    await this.projectLock.run(projectId, async () => {
      const link = await this.find(userId, projectId);
      if (!link) throw notLinked();
      await this.prisma.$transaction(async (tx) => {
        await tx.syncLink.delete({ where: { projectId } });
        if (link.baseSnapshotId)
          await tx.snapshot.deleteMany({ where: { id: link.baseSnapshotId, projectId, reason: 'sync' } });
      });
    });
    this.watcher.onDidChangeLink(projectId, null);
  }

  private async remoteProject(
    remote: OpenedRemote,
    project: ProjectDto,
    input: PutLinkInput,
  ): Promise<{ id: string; name: string }> {
    try {
      if ('createRemoteProject' in input) {
        return await withinMs(
          remote.client.createProject({ name: project.name, template: project.template }),
          REMOTE_TIMEOUT_MS,
          remote.name,
        );
      }
      const found = (await withinMs(remote.client.projects(), REMOTE_TIMEOUT_MS, remote.name)).find(
        (candidate) => candidate.id === input.remoteProjectId,
      );
      if (!found) {
        const message = `${remote.name} has no project ${input.remoteProjectId} that this token reaches`;
        throw new DomainError('bad_request', 'remote_project_not_found', message, {
          fieldErrors: { remoteProjectId: [message] },
        });
      }
      return found;
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (isRefusal(error)) throw remoteRefused(remote.name, error);
      throw remoteUnreachable(remote.name, error);
    }
  }
}

export function toLinkDto(link: LinkWithRemote): LinkDto {
  return {
    projectId: link.projectId,
    remoteId: link.remoteId,
    remoteProjectId: link.remoteProjectId,
    remoteName: link.remote.name,
    remoteUrl: link.remote.url,
    remoteProjectName: link.remoteProjectName,
    autoSync: link.autoSync,
    intervalMinutes: link.intervalMinutes,
    createdAt: link.createdAt.toISOString(),
  };
}
