// Projects belong to one owner. Every read and write is scoped by owner id, so a project
// that is not yours is indistinguishable from one that does not exist (404, never 403).
// Single projects are read through a short-lived cache (project-cache.ts): socket events check
// ownership on every call, and must keep working on the last known answer while the database is down.
import { isDatabaseUnavailable, type PrismaClient } from '../db';
import { databaseUnavailable, DomainError, notFound } from '../core/errors';
import type { CreateProjectInput, ProjectDto, TemplateId, UpdateProjectInput } from '../contracts';
import { TypedEmitter } from '../core/typed-emitter';
import { ProjectCache, type CachedProject, type ProjectCacheOptions } from './project-cache';

const projectColumns = {
  id: true,
  name: true,
  template: true,
  createdAt: true,
  updatedAt: true,
  lastOpenedAt: true,
} as const;

interface ProjectRow {
  id: string;
  name: string;
  template: string;
  createdAt: Date;
  updatedAt: Date;
  lastOpenedAt: Date | null;
}

export function toProjectDto(row: ProjectRow): ProjectDto {
  return {
    id: row.id,
    name: row.name,
    template: row.template as TemplateId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastOpenedAt: row.lastOpenedAt?.toISOString() ?? null,
  };
}

export interface ProjectEvents {
  onDidChange: { ownerId: string; project: ProjectDto };
  onDidDelete: { ownerId: string; projectId: string };
}

export class ProjectService {
  readonly events = new TypedEmitter<ProjectEvents>();

  private readonly cache: ProjectCache;

  constructor(
    private readonly prisma: PrismaClient,
    cacheOptions: ProjectCacheOptions = {},
  ) {
    this.cache = new ProjectCache(cacheOptions);
  }

  async list(ownerId: string): Promise<ProjectDto[]> {
    const rows = await this.prisma.project.findMany({
      where: { ownerId },
      select: projectColumns,
      orderBy: [{ lastOpenedAt: { sort: 'desc', nulls: 'last' } }, { updatedAt: 'desc' }],
    });
    return rows.map(toProjectDto);
  }

  async get(ownerId: string, id: string): Promise<ProjectDto> {
    return ownedBy((await this.load(id)) ?? undefined, ownerId);
  }

  /** Internal lookup by id alone (workspace lifecycle, reconciliation): never expose to callers. */
  async lookup(id: string): Promise<{ ownerId: string; name: string; template: TemplateId } | null> {
    const found = await this.load(id, { ttl: false });
    return found ? { ownerId: found.ownerId, name: found.project.name, template: found.project.template } : null;
  }

  /**
   * The project with its owner: from the cache while fresh (`ttl`), else from the database;
   * while the database is unreachable, the last known answer however old, else a 503.
   */
  private async load(id: string, { ttl = true } = {}): Promise<CachedProject | null> {
    const cached = ttl ? this.cache.fresh(id) : undefined;
    if (cached) return cached;
    let row: (ProjectRow & { ownerId: string }) | null;
    try {
      row = await this.prisma.project.findUnique({ where: { id }, select: { ...projectColumns, ownerId: true } });
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const stale = this.cache.stale(id);
      if (stale) return stale;
      throw error instanceof DomainError ? error : databaseUnavailable();
    }
    if (!row) {
      this.cache.delete(id);
      return null;
    }
    const project = toProjectDto(row);
    this.cache.set(row.ownerId, project);
    return { ownerId: row.ownerId, project };
  }

  async create(ownerId: string, input: CreateProjectInput): Promise<ProjectDto> {
    const row = await this.prisma.project.create({ data: { ownerId, ...input }, select: projectColumns });
    const project = toProjectDto(row);
    this.cache.set(ownerId, project);
    this.events.emit('onDidChange', { ownerId, project });
    return project;
  }

  async rename(ownerId: string, id: string, input: UpdateProjectInput): Promise<ProjectDto> {
    const { count } = await this.prisma.project.updateMany({ where: { id, ownerId }, data: { name: input.name } });
    this.cache.delete(id);
    if (count === 0) throw notFound('Project not found');
    const project = await this.get(ownerId, id);
    this.events.emit('onDidChange', { ownerId, project });
    return project;
  }

  /** Records the opening; while the database is unreachable the editor still opens (last known project). */
  async markOpened(ownerId: string, id: string): Promise<ProjectDto> {
    let count: number;
    try {
      ({ count } = await this.prisma.project.updateMany({
        where: { id, ownerId },
        data: { lastOpenedAt: new Date() },
      }));
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const stale = this.cache.stale(id);
      if (stale) return ownedBy(stale, ownerId);
      throw error instanceof DomainError ? error : databaseUnavailable();
    }
    this.cache.delete(id);
    if (count === 0) throw notFound('Project not found');
    return this.get(ownerId, id);
  }

  async delete(ownerId: string, id: string): Promise<void> {
    const { count } = await this.prisma.project.deleteMany({ where: { id, ownerId } });
    this.cache.delete(id);
    if (count === 0) throw notFound('Project not found');
    this.events.emit('onDidDelete', { ownerId, projectId: id });
  }
}

function ownedBy(found: CachedProject | undefined, ownerId: string): ProjectDto {
  if (!found || found.ownerId !== ownerId) throw notFound('Project not found');
  return found.project;
}
