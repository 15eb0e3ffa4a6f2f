// A short-lived cache of projects by id (owner included), so ownership checks on every socket
// event need no query, and so the editor and terminals keep working while the database is
// unreachable: a stale entry is served then, never a missing one.
import type { ProjectDto } from '../contracts';

export interface CachedProject {
  ownerId: string;
  project: ProjectDto;
}

interface Entry extends CachedProject {
  storedAt: number;
}

export interface ProjectCacheOptions {
  /** How long an entry answers without asking the database; default 60 s. */
  ttlMs?: number;
  /** Entries kept at most (least recently stored go first); default 10,000. */
  maxEntries?: number;
  now?: () => number;
}

export class ProjectCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: ProjectCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** An entry younger than the TTL. */
  fresh(id: string): CachedProject | undefined {
    const entry = this.entries.get(id);
    return entry && this.now() - entry.storedAt < this.ttlMs ? entry : undefined;
  }

  /** Any entry, however old: only for when the database cannot be asked. */
  stale(id: string): CachedProject | undefined {
    return this.entries.get(id);
  }

  set(ownerId: string, project: ProjectDto): void {
    this.entries.delete(project.id);
    this.entries.set(project.id, { ownerId, project, storedAt: this.now() });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
