// The account's own life: password change and reset, email verification, deletion. Ending
// sessions and tokens goes through SessionService/TokenService, so every socket opened with
// them is disconnected; deleting an account deletes its projects through ProjectService (their
// containers, volumes and snapshots go with them).
import type { Logger } from '../core/logger';
import { DomainError, notFound } from '../core/errors';
import type { PrismaClient } from '../db';
import type { Principal, SessionService, TokenService, UserService } from '../auth';
import type { ProjectService } from '../projects';
import type { AccountLinks } from './account-links';
import type { Mailer } from './mailer';

export interface AccountServiceOptions {
  /** BERTH_URL: links point here. */
  baseUrl: string;
  resetLinkTtlMs: number;
  mailer?: Mailer;
  requireEmailVerification: boolean;
}

const VERIFY_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export class AccountService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly users: UserService,
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
    private readonly projects: ProjectService,
    private readonly links: AccountLinks,
    private readonly options: AccountServiceOptions,
    private readonly log: Logger,
  ) {}

  get mailEnabled(): boolean {
    return this.options.mailer !== undefined;
  }

  /** New password; every other session of the caller ends (the caller's own stays). */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    await this.users.changePassword(principal.userId, currentPassword, newPassword);
    await this.sessions.endAll(principal.userId, principal.via === 'session' ? principal.sessionId : undefined);
  }

  async resetLink(userId: string): Promise<{ url: string; expiresAt: string }> {
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw notFound('User not found');
    const { token, expiresAt } = await this.links.issue(userId, 'reset', this.options.resetLinkTtlMs);
    return { url: `${this.options.baseUrl}/reset-password?token=${token}`, expiresAt: expiresAt.toISOString() };
  }

  /** "Forgot password?": mails a reset link when the email has an account. Answers the same either way. */
  async requestReset(email: string): Promise<void> {
    const mailer = this.options.mailer;
    if (!mailer)
      throw new DomainError(
        'not_configured',
        'mail_disabled',
        'This server sends no mail: ask an administrator for a password-reset link',
      );
    const user = await this.prisma.user.findUnique({ where: { email }, select: { id: true, email: true } });
    if (!user) return;
    // Not awaited: answering as fast for a known email as for an unknown one tells nobody which exist.
    void this.mailResetLink(mailer, user).catch((error: unknown) =>
      this.log.error({ err: error, userId: user.id }, 'could not mail a password-reset link'),
    );
  }

  private async mailResetLink(mailer: Mailer, user: { id: string; email: string }): Promise<void> {
    const { url } = await this.resetLink(user.id);
    await mailer.send({
      to: user.email,
      subject: 'Reset your Berth password',
      text: `Someone (hopefully you) asked to reset the password of your Berth account.\n\nOpen this link to choose a new one (valid for ${Math.round(this.options.resetLinkTtlMs / 60_000)} minutes, once):\n${url}\n\nIf it was not you, ignore this mail.`,
    });
  }

  /** Sets the password from a one-time link; every session of the user ends. */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    const userId = await this.links.consume(token, 'reset');
    await this.users.setPassword(userId, newPassword);
    // Whoever could open the link owns the mailbox: the email counts as verified too.
    await this.prisma.user.update({ where: { id: userId }, data: { emailVerified: new Date() } });
    await this.sessions.endAll(userId);
    this.log.info({ userId }, 'password reset through a one-time link');
  }

  /** After sign-up: verified at once, or a verification mail when REQUIRE_EMAIL_VERIFICATION. */
  async afterSignup(user: { id: string; email: string }): Promise<{ verificationSent: boolean }> {
    const mailer = this.options.mailer;
    if (!this.options.requireEmailVerification || !mailer) {
      await this.prisma.user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
      return { verificationSent: false };
    }
    const { token } = await this.links.issue(user.id, 'verify', VERIFY_LINK_TTL_MS);
    await mailer.send({
      to: user.email,
      subject: 'Confirm your email for Berth',
      text: `Welcome to Berth. Open this link to confirm your email, then sign in:\n${this.options.baseUrl}/api/v1/auth/verify-email?token=${token}\n`,
    });
    return { verificationSent: true };
  }

  async verifyEmail(token: string): Promise<void> {
    const userId = await this.links.consume(token, 'verify');
    await this.prisma.user.update({ where: { id: userId }, data: { emailVerified: new Date() } });
  }

  /** Deletes the account, confirmed by its email: projects (containers, volumes, snapshots), tokens, sessions. */
  async deleteAccount(userId: string, confirmEmail: string): Promise<void> {
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { email: true } });
    if (!user) throw notFound('User not found');
    if (user.email !== confirmEmail.trim().toLowerCase()) {
      throw new DomainError('bad_request', 'confirmation_mismatch', 'Type your account’s email exactly to confirm', {
        fieldErrors: { email: ['Does not match your account’s email'] },
      });
    }
    for (const project of await this.projects.list(userId)) await this.projects.delete(userId, project.id);
    const [sessions, tokens] = await Promise.all([
      this.prisma.session.findMany({ where: { userId }, select: { id: true } }),
      this.prisma.apiToken.findMany({ where: { userId }, select: { id: true } }),
    ]);
    await this.prisma.user.delete({ where: { id: userId } });
    this.sessions.forgetUser(
      userId,
      sessions.map((row) => row.id),
    );
    this.tokens.forgetUser(
      userId,
      tokens.map((row) => row.id),
    );
    this.log.info({ userId, projects: 'deleted' }, 'account deleted by its owner');
  }
}
