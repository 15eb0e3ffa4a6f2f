// Advisory-but-enforced file locks, in memory, per project: path → {holder, holderId, expiresAt}.
// A lock on a folder covers everything under it ('' covers the whole project). Writes, moves
// and deletes by anyone but the holder are refused with 423 until the lock is released or
// expires; expiry is pushed (onDidChange) by one timer per project, and also checked lazily.
import type { FileLockDto } from '../contracts';
import { DomainError } from '../core/errors';
import { TypedEmitter } from '../core/typed-emitter';

export interface LockHolder {
  /** Who may write under the lock: a socket (`socket:<id>`), the assistant, a token principal… */
  id: string;
  /** Shown on the marker: the user's name, "assistant"… */
  name: string;
}

interface Lock {
  path: string;
  holder: string;
  holderId: string;
  expiresAt: number;
}

export interface LockServiceOptions {
  now?: () => number;
}

/** 'a//b/./c/' → 'a/b/c'; '' and '.' are the root. Paths are already free of '..'. */
export function normalizePath(value: string): string {
  return value
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

/** True when `ancestor` is `path` or one of its folders. */
const covers = (ancestor: string, path: string) =>
  ancestor === '' || path === ancestor || path.startsWith(`${ancestor}/`);

export const lockedError = (lock: { path: string; holder: string }) =>
  new DomainError('locked', 'locked', `${lock.path || 'The project'} is locked by ${lock.holder}`, {
    path: lock.path,
    holder: lock.holder,
  });

export class LockService {
  readonly events = new TypedEmitter<{ onDidChange: { projectId: string; locks: FileLockDto[] } }>();
  private readonly projects = new Map<string, Map<string, Lock>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly now: () => number;

  constructor(options: LockServiceOptions = {}) {
    this.now = options.now ?? (() => Date.now());
  }

  /** Takes or renews a lock. Refused when another holder's lock overlaps (same path, a folder above or a path below). */
  lock(projectId: string, rawPath: string, holder: LockHolder, ttlSeconds: number): FileLockDto {
    const path = normalizePath(rawPath);
    const blocking = this.overlapping(projectId, path).find((lock) => lock.holderId !== holder.id);
    if (blocking) throw lockedError(blocking);
    const lock: Lock = { path, holder: holder.name, holderId: holder.id, expiresAt: this.now() + ttlSeconds * 1000 };
    this.locksOf(projectId, true).set(path, lock);
    this.changed(projectId);
    return toDto(lock);
  }

  /** Releases the holder's lock on exactly this path; someone else's lock is a 423, no lock is fine. */
  unlock(projectId: string, rawPath: string, holderId: string): void {
    const path = normalizePath(rawPath);
    const lock = this.active(projectId).find((candidate) => candidate.path === path);
    if (!lock) return;
    if (lock.holderId !== holderId) throw lockedError(lock);
    this.projects.get(projectId)?.delete(path);
    this.changed(projectId);
  }

  /** Drops every lock a holder has (its socket disconnected). */
  releaseHolder(holderId: string): void {
    for (const [projectId, locks] of this.projects) {
      let dropped = false;
      for (const [path, lock] of locks) {
        if (lock.holderId !== holderId) continue;
        locks.delete(path);
        dropped = true;
      }
      if (dropped) this.changed(projectId);
    }
  }

  /** Throws 423 when someone other than `holderId` holds a lock over `path`, a folder above it or a path below it. */
  assertWritable(projectId: string, rawPath: string, holderId: string | undefined): void {
    const blocking = this.overlapping(projectId, normalizePath(rawPath)).find((lock) => lock.holderId !== holderId);
    if (blocking) throw lockedError(blocking);
  }

  list(projectId: string): FileLockDto[] {
    return this.active(projectId).map(toDto);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.projects.clear();
  }

  private overlapping(projectId: string, path: string): Lock[] {
    return this.active(projectId).filter((lock) => covers(lock.path, path) || covers(path, lock.path));
  }

  /** Live locks; expired ones are dropped here too, so a late timer never lets a stale lock refuse a write. */
  private active(projectId: string): Lock[] {
    const locks = this.projects.get(projectId);
    if (!locks) return [];
    const now = this.now();
    let expired = false;
    for (const [path, lock] of locks) {
      if (lock.expiresAt > now) continue;
      locks.delete(path);
      expired = true;
    }
    if (expired) this.changed(projectId);
    return [...locks.values()];
  }

  private locksOf(projectId: string, create: true): Map<string, Lock> {
    let locks = this.projects.get(projectId);
    if (!locks && create) this.projects.set(projectId, (locks = new Map()));
    return locks!;
  }

  private changed(projectId: string): void {
    const locks = this.projects.get(projectId);
    if (locks && locks.size === 0) this.projects.delete(projectId);
    this.schedule(projectId);
    this.events.emit('onDidChange', { projectId, locks: [...(locks?.values() ?? [])].map(toDto) });
  }

  /** One timer per project, at its earliest expiry, so the push happens without anyone asking. */
  private schedule(projectId: string): void {
    clearTimeout(this.timers.get(projectId));
    this.timers.delete(projectId);
    const locks = this.projects.get(projectId);
    if (!locks || locks.size === 0) return;
    const next = Math.min(...[...locks.values()].map((lock) => lock.expiresAt));
    const timer = setTimeout(
      () => {
        this.timers.delete(projectId);
        this.active(projectId); // drops the expired ones and pushes the change
        if (!this.timers.has(projectId)) this.schedule(projectId);
      },
      Math.max(0, next - this.now()) + 5,
    );
    timer.unref();
    this.timers.set(projectId, timer);
  }
}

const toDto = (lock: Lock): FileLockDto => ({
  path: lock.path,
  holder: lock.holder,
  expiresAt: new Date(lock.expiresAt).toISOString(),
});
