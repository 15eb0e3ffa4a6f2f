// What an admin (BERTH_ADMIN_EMAILS) sees and does: every user with their project and running
// workspace counts, every active workspace with its CPU and memory, and stop / remove of any
// workspace. Admin status comes from the email list alone, read at start-up.
import type { AdminUserDto, AdminWorkspaceDto } from '../contracts';
import { notFound } from '../core/errors';
import type { PrismaClient } from '../db';
import type { RuntimeDriver } from '../runtime';
import type { WorkspaceService } from '../workspaces';

const COUNTED_AS_RUNNING = new Set(['starting', 'running']);

export class AdminService {
  private readonly adminEmails: ReadonlySet<string>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly workspaces: Pick<WorkspaceService, 'active' | 'stop' | 'discard'>,
    private readonly runtime: Pick<RuntimeDriver, 'stats'>,
    adminEmails: readonly string[],
  ) {
    this.adminEmails = new Set(adminEmails.map((email) => email.toLowerCase()));
  }

  isAdminEmail(email: string): boolean {
    return this.adminEmails.has(email.toLowerCase());
  }

  async isAdmin(userId: string): Promise<boolean> {
    if (this.adminEmails.size === 0) return false;
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { email: true } });
    return user ? this.isAdminEmail(user.email) : false;
  }

  async users(): Promise<AdminUserDto[]> {
    const [rows, active] = await Promise.all([
      this.prisma.user.findMany({
        select: { id: true, email: true, name: true, createdAt: true, _count: { select: { projects: true } } },
        orderBy: { createdAt: 'asc' },
      }),
      this.activeProjects(),
    ]);
    const running = new Map<string, number>();
    for (const { state, project } of active) {
      if (COUNTED_AS_RUNNING.has(state)) running.set(project.ownerId, (running.get(project.ownerId) ?? 0) + 1);
    }
    return rows.map((row) => ({
      id: row.id,
      email: row.email,
      name: row.name,
      createdAt: row.createdAt.toISOString(),
      projectCount: row._count.projects,
      runningWorkspaces: running.get(row.id) ?? 0,
      isAdmin: this.isAdminEmail(row.email),
    }));
  }

  async workspaceList(): Promise<AdminWorkspaceDto[]> {
    const active = await this.activeProjects();
    return Promise.all(
      active.map(async ({ status, state, project }) => {
        // One slow or vanished container must not fail the whole page.
        const stats = state === 'running' ? await this.runtime.stats(status.projectId).catch(() => null) : null;
        return {
          projectId: status.projectId,
          projectName: project.name,
          ownerEmail: project.owner.email,
          state,
          startedAt: status.startedAt ?? null,
          stats: stats
            ? { cpuPercent: stats.cpuPercent, memoryBytes: stats.memoryBytes, memoryLimitBytes: stats.memoryLimitBytes }
            : null,
          disk: status.disk ?? null,
        };
      }),
    );
  }

  async stop(projectId: string) {
    await this.requireProject(projectId);
    return this.workspaces.stop(projectId);
  }

  /** Deletes the container and volume; the project and its snapshots stay. */
  async remove(projectId: string) {
    await this.requireProject(projectId);
    return this.workspaces.discard(projectId);
  }

  /** Active workspaces joined with their projects (a workspace whose project is gone is left out). */
  private async activeProjects() {
    const statuses = this.workspaces.active();
    const projects = await this.prisma.project.findMany({
      where: { id: { in: statuses.map((status) => status.projectId) } },
      select: { id: true, name: true, ownerId: true, owner: { select: { email: true } } },
    });
    const byId = new Map(projects.map((project) => [project.id, project]));
    return statuses.flatMap((status) => {
      const project = byId.get(status.projectId);
      return project ? [{ status, state: status.state, project }] : [];
    });
  }

  private async requireProject(projectId: string): Promise<void> {
    const found = await this.prisma.project.findUnique({ where: { id: projectId }, select: { id: true } });
    if (!found) throw notFound('Project not found');
  }
}
