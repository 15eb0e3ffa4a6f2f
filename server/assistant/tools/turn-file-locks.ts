// The locks one assistant turn holds: each file it writes is locked as `assistant:<turnId>` from
// its first write until the turn ends or is stopped, so a user's save from any tab, REST or the
// tree gets 423 meanwhile. Someone else's lock is never overridden: the tool reports it instead.
import { ASSISTANT_LOCK_HOLDER } from '../../contracts';
import { DomainError } from '../../core/errors';
import type { LockHolder, LockService } from '../../files';

/** Long enough for any turn (renewed at each write); releaseAll ends it sooner. */
export const TURN_LOCK_TTL_SECONDS = 30 * 60;

export const assistantHolder = (turnId: string): LockHolder => ({
  id: `assistant:${turnId}`,
  name: ASSISTANT_LOCK_HOLDER,
});

/** Someone else (a user's tab) holds a lock over the path: the tool must leave it alone. */
export class UserEditingError extends Error {
  constructor(
    readonly path: string,
    readonly holder: string,
  ) {
    super(`${path} is being edited by ${holder} (the file is locked)`);
  }
}

export class TurnFileLocks {
  /** Paths the turn changed: their locks stay until the turn ends. */
  private readonly changed = new Set<string>();

  constructor(
    private readonly locks: LockService,
    private readonly projectId: string,
    readonly holder: LockHolder,
  ) {}

  /** Takes (or renews) the turn's lock on `path`; UserEditingError when another holder's lock overlaps. */
  acquire(path: string): void {
    try {
      this.locks.lock(this.projectId, path, this.holder, TURN_LOCK_TTL_SECONDS);
    } catch (error) {
      throw asUserEditing(error, path);
    }
  }

  /** The turn changed `path`: its lock is kept until the turn ends. */
  markChanged(path: string): void {
    this.changed.add(path);
  }

  /** A tool took the lock but changed nothing (missing file, no match…): a user may save it again. */
  releaseUnchanged(path: string): void {
    if (!this.changed.has(path)) this.locks.unlock(this.projectId, path, this.holder.id);
  }

  /** Every lock of the turn, at its end or stop. */
  releaseAll(): void {
    this.locks.releaseHolder(this.holder.id);
  }
}

/** A 423 from the lock service or a file write becomes UserEditingError; anything else is unchanged. */
export function asUserEditing(error: unknown, path: string): unknown {
  if (!(error instanceof DomainError) || error.kind !== 'locked') return error;
  const holder = typeof error.details?.holder === 'string' ? error.details.holder : 'the user';
  return new UserEditingError(path, holder);
}
