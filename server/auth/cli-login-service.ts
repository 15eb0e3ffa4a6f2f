// The command line's browser sign-in (`berth login <url>` without --token), a device flow: the
// CLI starts a login and gets a short code plus a secret poll token; the signed-in user sees the
// code at /cli/approve and approves it; that makes a personal access token, kept sealed in the
// row until the CLI's next poll collects it, once. Only a hash of the poll token is stored, so
// the table alone cannot collect anything.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { CliLoginPollDto, CliLoginRequestDto, CliLoginStartDto } from '../contracts';
import { DomainError, notFound } from '../core/errors';
import type { SecretBox } from '../core/secret-box';
import type { PrismaClient } from '../db';
import type { TokenService } from './token-service';

/** SecretBox purpose of the tokens waiting for their CLI. */
export const CLI_LOGIN_PURPOSE = 'berth/cli/login/v1';
export const CLI_LOGIN_TTL_MS = 10 * 60_000;
/** How often expired logins are swept when nobody starts one (an approved, uncollected token is revoked). */
export const CLI_LOGIN_SWEEP_MS = 60_000;
/** Unambiguous letters (no I, O): the code is read off one screen and compared with another. */
const CODE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const TOKEN_NAME_MAX = 64;

const hashOf = (value: string) => createHash('sha256').update(value).digest('hex');

/** `abcd1234`, `ABCD 1234`, `abcd-1234` → `ABCD-1234`; undefined when it cannot be a code. */
export function normalizeCliCode(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  return /^[A-Z]{4}[0-9]{4}$/.test(compact) ? `${compact.slice(0, 4)}-${compact.slice(4)}` : undefined;
}

export function newCliCode(): string {
  let letters = '';
  for (let i = 0; i < 4; i++) letters += CODE_LETTERS[randomInt(CODE_LETTERS.length)];
  return `${letters}-${String(randomInt(10_000)).padStart(4, '0')}`;
}

export function cliTokenName(device: string | null): string {
  const name = `berth CLI (${device ?? 'unknown device'})`;
  return name.length <= TOKEN_NAME_MAX ? name : `${name.slice(0, TOKEN_NAME_MAX - 2)}…)`;
}

export class CliLoginService {
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly tokens: TokenService,
    private readonly box: SecretBox,
    /** BERTH_URL: where the approve page is. */
    private readonly berthUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sweeps expired logins every `everyMs` too, not only when a login starts (the timer does not hold the process). */
  startSweeping(everyMs = CLI_LOGIN_SWEEP_MS, onError?: (error: unknown) => void): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = this.forgetExpired()
        .catch((error: unknown) => onError?.(error))
        .finally(() => {
          this.sweeping = undefined;
        });
    }, everyMs);
    this.sweepTimer.unref();
  }

  /** Stops the sweeps; waits for one under way (before the database closes). */
  async dispose(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    await this.sweeping;
  }

  async start(device: string | undefined): Promise<CliLoginStartDto> {
    await this.forgetExpired();
    const pollToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now() + CLI_LOGIN_TTL_MS);
    for (let attempt = 0; ; attempt++) {
      const code = newCliCode();
      try {
        await this.prisma.cliLogin.create({
          data: { code, pollTokenHash: hashOf(pollToken), device: device ?? null, expiresAt },
        });
        return {
          code,
          pollToken,
          // No code in the link: the user types the one their terminal shows (a link with a
          // code could be sent by someone else — device-code phishing).
          approveUrl: `${this.berthUrl}/cli/approve`,
          expiresAt: expiresAt.toISOString(),
        };
      } catch (error) {
        // A code still in use (one in 5.7 billion per pending login): draw another.
        if ((error as { code?: string }).code !== 'P2002' || attempt >= 4) throw error;
      }
    }
  }

  /** What the approve page shows for a code. */
  async describe(codeInput: string): Promise<CliLoginRequestDto> {
    const row = await this.find(codeInput);
    const status = row.approvedAt ? 'approved' : this.expired(row.expiresAt) ? 'expired' : 'pending';
    return { code: row.code, device: row.device, expiresAt: row.expiresAt.toISOString(), status };
  }

  /** The signed-in user approves: a token is made for them and sealed until the CLI collects it. */
  async approve(userId: string, codeInput: string): Promise<CliLoginRequestDto> {
    const row = await this.find(codeInput);
    if (this.expired(row.expiresAt))
      throw new DomainError('conflict', 'cli_login_expired', 'This code has expired; run berth login again');
    // Claimed first, in one statement: two approvals of one code make one token.
    const { count } = await this.prisma.cliLogin.updateMany({
      where: { code: row.code, approvedAt: null },
      data: { approvedAt: new Date(this.now()), userId },
    });
    if (count === 0) throw new DomainError('conflict', 'cli_login_approved', 'This code was approved already');
    const created = await this.tokens.create(userId, cliTokenName(row.device));
    const stored = await this.prisma.cliLogin.updateMany({
      where: { code: row.code },
      data: { tokenSealed: this.box.seal(created.token) },
    });
    // Collected or cleaned up in between cannot happen (nothing to collect yet), but a deleted
    // row must not leave a token nobody holds.
    if (stored.count === 0) await this.tokens.revoke(userId, created.id).catch(() => undefined);
    return { code: row.code, device: row.device, expiresAt: row.expiresAt.toISOString(), status: 'approved' };
  }

  /** The CLI asks: pending, expired, or the token — handed out once (the row goes with it). */
  async poll(pollToken: string): Promise<CliLoginPollDto> {
    const row = await this.prisma.cliLogin.findUnique({ where: { pollTokenHash: hashOf(pollToken) } });
    if (!row) throw notFound('Unknown sign-in, or its token was collected already');
    if (row.tokenSealed) {
      const { count } = await this.prisma.cliLogin.deleteMany({
        where: { code: row.code, tokenSealed: row.tokenSealed },
      });
      if (count === 1) return { status: 'approved', token: this.box.open(row.tokenSealed) };
      throw notFound('Unknown sign-in, or its token was collected already');
    }
    if (this.expired(row.expiresAt)) {
      // Nobody approved it in time (an approval under way would have set approvedAt).
      if (!row.approvedAt) await this.prisma.cliLogin.deleteMany({ where: { code: row.code, approvedAt: null } });
      return { status: 'expired' };
    }
    return { status: 'pending' };
  }

  private async find(codeInput: string) {
    const code = normalizeCliCode(codeInput);
    const row = code ? await this.prisma.cliLogin.findUnique({ where: { code } }) : null;
    if (!row) throw notFound('No sign-in with this code');
    return row;
  }

  private expired(expiresAt: Date): boolean {
    return expiresAt.getTime() <= this.now();
  }

  /** Logins past their time go; a token approved but never collected is revoked (nobody holds it). */
  async forgetExpired(): Promise<void> {
    const stale = await this.prisma.cliLogin.findMany({
      where: { expiresAt: { lt: new Date(this.now() - CLI_LOGIN_TTL_MS) } },
      take: 100,
    });
    for (const row of stale) {
      const { count } = await this.prisma.cliLogin.deleteMany({ where: { code: row.code } });
      if (count === 0 || !row.tokenSealed || !row.userId) continue;
      const token = await this.tokens.authenticate(this.box.open(row.tokenSealed)).catch(() => null);
      if (token) await this.tokens.revoke(row.userId, token.tokenId).catch(() => undefined);
    }
  }
}
