// One-time links (password reset, email verification): a random secret in the URL, only its
// sha256 in the database; used once, expiring.
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../db';
import { DomainError } from '../core/errors';

export type LinkPurpose = 'reset' | 'verify';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export const invalidLink = () =>
  new DomainError(
    'bad_request',
    'invalid_link',
    'This link is not valid any more: it was used already, has expired, or was replaced. Ask for a new one.',
  );

export class AccountLinks {
  constructor(private readonly prisma: PrismaClient) {}

  /** A new link secret for `userId`; earlier links of the same purpose stop working. */
  async issue(userId: string, purpose: LinkPurpose, ttlMs: number): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + ttlMs);
    await this.prisma.$transaction([
      this.prisma.accountLink.deleteMany({ where: { userId, purpose } }),
      this.prisma.accountLink.create({ data: { userId, purpose, tokenHash: hash(token), expires: expiresAt } }),
    ]);
    return { token, expiresAt };
  }

  /** The user the link was for; the link is gone afterwards. Throws 400 invalid_link. */
  async consume(token: string, purpose: LinkPurpose): Promise<string> {
    if (token.length > 200) throw invalidLink();
    const row = await this.prisma.accountLink.findUnique({ where: { tokenHash: hash(token) } });
    if (!row || row.purpose !== purpose) throw invalidLink();
    // Deleting first makes the link single-use even when two requests race.
    const { count } = await this.prisma.accountLink.deleteMany({ where: { id: row.id } });
    if (count === 0 || row.expires.getTime() <= Date.now()) throw invalidLink();
    return row.userId;
  }
}
