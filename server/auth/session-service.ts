// Revocable sign-in sessions. The session cookie is a JWT carrying a Session row's id
// (`sid`); it counts only while that row exists. Ending sessions deletes rows and tells
// listeners at once (sockets opened with them are disconnected); other replicas notice
// within the liveness cache's lifetime. While the database is unreachable the last known
// answer stands, so a database outage does not sign everyone out.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../db';
import { TypedEmitter } from '../core/typed-emitter';
import { notFound } from '../core/errors';
import type { SessionDto } from '../contracts';

export interface SessionEvents {
  /** Sessions that just ended (signed out, revoked, password changed, account deleted). */
  onDidEnd: { userId: string; sessionIds: string[] };
}

interface CachedLiveness {
  userId: string | null; // null: no such session
  checkedAt: number;
}

export interface SessionServiceOptions {
  /** How long a liveness answer is reused before the database is asked again. */
  cacheMs?: number;
  maxAgeSeconds: number;
}

// Writing lastSeenAt on every request would cost a write per call.
const LAST_SEEN_RESOLUTION_MS = 60_000;
const MAX_CACHED = 10_000;

export class SessionService {
  readonly events = new TypedEmitter<SessionEvents>();
  private readonly cache = new Map<string, CachedLiveness>();
  private readonly lastSeenWritten = new Map<string, number>();
  private readonly cacheMs: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: SessionServiceOptions,
  ) {
    this.cacheMs = options.cacheMs ?? 2_000;
  }

  async create(userId: string, context: { userAgent?: string; ip?: string }): Promise<string> {
    const row = await this.prisma.session.create({
      data: {
        userId,
        sessionToken: randomBytes(24).toString('base64url'),
        expires: new Date(Date.now() + this.options.maxAgeSeconds * 1000),
        userAgent: context.userAgent?.slice(0, 300) ?? null,
        ip: context.ip?.slice(0, 64) ?? null,
      },
      select: { id: true },
    });
    this.remember(row.id, userId);
    return row.id;
  }

  /** The cached answer while it is fresh, else undefined (ask isLive). Synchronous: no event waits on it. */
  cachedLiveness(sessionId: string, userId: string): boolean | undefined {
    const cached = this.cache.get(sessionId);
    if (!cached || Date.now() - cached.checkedAt >= this.cacheMs) return undefined;
    return cached.userId === userId;
  }

  /** Whether `sessionId` is a live session of `userId`. */
  async isLive(sessionId: string, userId: string): Promise<boolean> {
    const cached = this.cache.get(sessionId);
    if (cached && Date.now() - cached.checkedAt < this.cacheMs) return cached.userId === userId;
    let row: { userId: string; expires: Date } | null;
    try {
      row = await this.prisma.session.findUnique({ where: { id: sessionId }, select: { userId: true, expires: true } });
    } catch (error) {
      // Database unreachable: the last answer stands; a session never seen cannot be vouched for.
      if (cached) return cached.userId === userId;
      throw error;
    }
    const owner = row && row.expires.getTime() > Date.now() ? row.userId : null;
    this.remember(sessionId, owner);
    if (owner) this.touch(sessionId);
    return owner === userId;
  }

  async list(userId: string, currentSessionId?: string): Promise<SessionDto[]> {
    const rows = await this.prisma.session.findMany({
      where: { userId, expires: { gt: new Date() } },
      orderBy: { lastSeenAt: 'desc' },
      select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true, ip: true },
    });
    return rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      userAgent: row.userAgent,
      ip: row.ip,
      current: row.id === currentSessionId,
    }));
  }

  /** Ends one session of `userId`; 404 when it is not theirs. */
  async end(userId: string, sessionId: string): Promise<void> {
    const { count } = await this.prisma.session.deleteMany({ where: { id: sessionId, userId } });
    if (count === 0) throw notFound('Session not found');
    this.ended(userId, [sessionId]);
  }

  /** Ends every session of `userId` but `keep` (none kept when absent). */
  async endAll(userId: string, keep?: string): Promise<number> {
    const rows = await this.prisma.session.findMany({
      where: { userId, ...(keep ? { id: { not: keep } } : {}) },
      select: { id: true },
    });
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => row.id);
    await this.prisma.session.deleteMany({ where: { id: { in: ids } } });
    this.ended(userId, ids);
    return ids.length;
  }

  /** Sign-out of one session by its id (the cookie's owner is known only from the token). */
  async endById(sessionId: string): Promise<void> {
    const row = await this.prisma.session.findUnique({ where: { id: sessionId }, select: { userId: true } });
    if (!row) return;
    await this.prisma.session.deleteMany({ where: { id: sessionId } });
    this.ended(row.userId, [sessionId]);
  }

  /** The user's sessions are gone with the account (the rows cascade): forget and announce them. */
  forgetUser(userId: string, sessionIds: string[]): void {
    this.ended(userId, sessionIds);
  }

  private ended(userId: string, sessionIds: string[]): void {
    for (const id of sessionIds) this.remember(id, null);
    this.events.emit('onDidEnd', { userId, sessionIds });
  }

  private remember(sessionId: string, userId: string | null): void {
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(sessionId, { userId, checkedAt: Date.now() });
  }

  private touch(sessionId: string): void {
    const now = Date.now();
    if (now - (this.lastSeenWritten.get(sessionId) ?? 0) < LAST_SEEN_RESOLUTION_MS) return;
    if (this.lastSeenWritten.size >= MAX_CACHED) this.lastSeenWritten.clear();
    this.lastSeenWritten.set(sessionId, now);
    // Not awaited: bookkeeping must not slow the request down.
    this.prisma.session
      .updateMany({ where: { id: sessionId }, data: { lastSeenAt: new Date(now) } })
      .catch(() => undefined);
  }
}
