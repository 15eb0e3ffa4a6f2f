// Personal access tokens: a random secret shown once; only its sha256 is stored.
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../db';
import { notFound } from '../core/errors';
import { TypedEmitter } from '../core/typed-emitter';
import type { CreatedTokenDto, TokenDto } from '../contracts';

export const TOKEN_PREFIX = 'berth_pat_';
// Writing lastUsedAt on every request would cost a write per call; once a minute is enough.
const LAST_USED_RESOLUTION_MS = 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function toTokenDto(row: {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}): TokenDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

export interface TokenEvents {
  /** A token was deleted: sockets opened with it are disconnected. */
  onDidRevoke: { userId: string; tokenIds: string[] };
}

export class TokenService {
  readonly events = new TypedEmitter<TokenEvents>();
  // Tokens deleted by this process: sockets opened with them fail their next check at once.
  private readonly revoked = new Set<string>();

  constructor(private readonly prisma: PrismaClient) {}

  async create(userId: string, name: string): Promise<CreatedTokenDto> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const row = await this.prisma.apiToken.create({
      data: { userId, name, tokenHash: hashToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 4) },
    });
    return { ...toTokenDto(row), token };
  }

  async list(userId: string): Promise<TokenDto[]> {
    const rows = await this.prisma.apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } });
    return rows.map(toTokenDto);
  }

  async revoke(userId: string, id: string): Promise<void> {
    const { count } = await this.prisma.apiToken.deleteMany({ where: { id, userId } });
    if (count === 0) throw notFound('Token not found');
    this.revoked.add(id);
    this.events.emit('onDidRevoke', { userId, tokenIds: [id] });
  }

  /** A user's tokens went with their account (the rows cascade): announce them. */
  forgetUser(userId: string, tokenIds: string[]): void {
    for (const id of tokenIds) this.revoked.add(id);
    if (tokenIds.length) this.events.emit('onDidRevoke', { userId, tokenIds });
  }

  /** Whether a token that authenticated earlier has not been deleted since (by this process). */
  isLive(tokenId: string): boolean {
    return !this.revoked.has(tokenId);
  }

  /** Whom a bearer token belongs to, or null. */
  async authenticate(token: string): Promise<{ userId: string; tokenId: string } | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const row = await this.prisma.apiToken.findUnique({
      where: { tokenHash: hashToken(token) },
      select: { id: true, userId: true, lastUsedAt: true },
    });
    if (!row) return null;
    const now = Date.now();
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      // Not awaited: bookkeeping must not slow the request down.
      this.prisma.apiToken
        .update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } })
        .catch(() => undefined);
    }
    return { userId: row.userId, tokenId: row.id };
  }
}
