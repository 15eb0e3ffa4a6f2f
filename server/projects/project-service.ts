// Projects belong to one owner. Every read and write is scoped by owner id, so a project
// that is not yours is indistinguishable from one that does not exist (404, never 403).
import type { PrismaClient } from '../db';
import { notFound } from '../core/errors';
import type { CreateProjectInput, ProjectDto, TemplateId, UpdateProjectInput } from '../contracts';
import { TypedEmitter } from '../core/typed-emitter';

const projectColumns = { id: true, name: true, template: true, createdAt: true, updatedAt: true, lastOpenedAt: true } as const;

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

  constructor(private readonly prisma: PrismaClient) {}

  async list(ownerId: string): Promise<ProjectDto[]> {
    const rows = await this.prisma.project.findMany({
      where: { ownerId },
      select: projectColumns,
      orderBy: [{ lastOpenedAt: { sort: 'desc', nulls: 'last' } }, { updatedAt: 'desc' }],
    });
    return rows.map(toProjectDto);
  }

  async get(ownerId: string, id: string): Promise<ProjectDto> {
    const row = await this.prisma.project.findFirst({ where: { id, ownerId }, select: projectColumns });
    if (!row) throw notFound('Project not found');
    return toProjectDto(row);
  }

  /** Internal lookup by id alone (workspace lifecycle, reconciliation): never expose to callers. */
  async lookup(id: string): Promise<{ ownerId: string; name: string; template: TemplateId } | null> {
    const row = await this.prisma.project.findUnique({ where: { id }, select: { ownerId: true, name: true, template: true } });
    return row ? { ownerId: row.ownerId, name: row.name, template: row.template as TemplateId } : null;
  }

  async create(ownerId: string, input: CreateProjectInput): Promise<ProjectDto> {
    const row = await this.prisma.project.create({ data: { ownerId, ...input }, select: projectColumns });
    const project = toProjectDto(row);
    this.events.emit('onDidChange', { ownerId, project });
    return project;
  }

  async rename(ownerId: string, id: string, input: UpdateProjectInput): Promise<ProjectDto> {
    const { count } = await this.prisma.project.updateMany({ where: { id, ownerId }, data: { name: input.name } });
    if (count === 0) throw notFound('Project not found');
    const project = await this.get(ownerId, id);
    this.events.emit('onDidChange', { ownerId, project });
    return project;
  }

  async markOpened(ownerId: string, id: string): Promise<ProjectDto> {
    const { count } = await this.prisma.project.updateMany({ where: { id, ownerId }, data: { lastOpenedAt: new Date() } });
    if (count === 0) throw notFound('Project not found');
    return this.get(ownerId, id);
  }

  async delete(ownerId: string, id: string): Promise<void> {
    const { count } = await this.prisma.project.deleteMany({ where: { id, ownerId } });
    if (count === 0) throw notFound('Project not found');
    this.events.emit('onDidDelete', { ownerId, projectId: id });
  }
}
