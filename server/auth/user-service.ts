// Accounts: sign-up, credential checks (throttled), OAuth linking. Never logs passwords.
import type { PrismaClient } from '../db';
import { DomainError, tooManyRequests } from '../core/errors';
import type { SignupInput, UserDto } from '../contracts';
import { hashPassword, verifyPassword } from './password';
import type { SignInThrottle } from './signin-throttle';

export interface OAuthProfile {
  provider: string;
  providerAccountId: string;
  email: string | null;
  name: string | null;
  image: string | null;
  type: string;
}

const toUserDto = (user: { id: string; email: string; name: string }): UserDto => ({
  id: user.id,
  email: user.email,
  name: user.name,
});

export class UserService {
  constructor(
    private readonly prisma: PrismaClient,
    /** Failures per email. */
    private readonly throttle: SignInThrottle,
    /** Failures per client address: looser, since many people may share one (NAT). */
    private readonly ipThrottle: SignInThrottle,
    /** REQUIRE_EMAIL_VERIFICATION: accounts sign in only once their email is confirmed. */
    private readonly requireVerifiedEmail = false,
  ) {}

  async signup(input: SignupInput): Promise<UserDto> {
    const passwordHash = await hashPassword(input.password);
    try {
      const user = await this.prisma.user.create({ data: { email: input.email, name: input.name, passwordHash } });
      return toUserDto(user);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError('conflict', 'conflict', 'An account with this email already exists');
      throw error;
    }
  }

  /** Checks email + password; throws 429 while this email or IP is being slowed down. */
  async verifyCredentials(emailInput: string, password: string, clientIp: string): Promise<UserDto | null> {
    const email = emailInput.trim().toLowerCase();
    const emailKey = [`email:${email}`];
    const ipKey = [`ip:${clientIp}`];
    const wait = Math.max(this.throttle.retryAfterSeconds(emailKey), this.ipThrottle.retryAfterSeconds(ipKey));
    if (wait > 0) throw tooManyRequests(wait);
    const user = await this.prisma.user.findUnique({ where: { email } });
    const valid = await verifyPassword(password, user?.passwordHash);
    if (!user || !valid) {
      this.throttle.recordFailure(emailKey);
      this.ipThrottle.recordFailure(ipKey);
      return null;
    }
    this.throttle.recordSuccess(emailKey);
    if (this.requireVerifiedEmail && !user.emailVerified) {
      throw new DomainError('forbidden', 'email_unverified', 'Confirm your email first: open the link we mailed you');
    }
    return toUserDto(user);
  }

  /** Checks the current password (throttled like a sign-in), then sets the new one. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const key = [`password:${userId}`];
    const wait = this.throttle.retryAfterSeconds(key);
    if (wait > 0) throw tooManyRequests(wait);
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
    if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
      this.throttle.recordFailure(key);
      throw new DomainError('bad_request', 'wrong_password', 'The current password is not right', {
        fieldErrors: { currentPassword: ['The current password is not right'] },
      });
    }
    this.throttle.recordSuccess(key);
    await this.setPassword(userId, newPassword);
  }

  async setPassword(userId: string, newPassword: string): Promise<void> {
    await this.prisma.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(newPassword) } });
  }

  async findById(id: string): Promise<UserDto | null> {
    const user = await this.prisma.user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
    return user ? toUserDto(user) : null;
  }

  /** Finds the Berth user behind an OAuth account, linking by verified email or creating one. */
  async upsertOAuthUser(profile: OAuthProfile): Promise<UserDto> {
    const linked = await this.prisma.account.findUnique({
      where: {
        provider_providerAccountId: { provider: profile.provider, providerAccountId: profile.providerAccountId },
      },
      include: { user: true },
    });
    if (linked) return toUserDto(linked.user);
    const email = (profile.email ?? `${profile.providerAccountId}@users.noreply.${profile.provider}`).toLowerCase();
    const user = await this.prisma.user.upsert({
      where: { email },
      update: {},
      create: { email, name: profile.name ?? email, image: profile.image },
    });
    await this.prisma.account.create({
      data: {
        userId: user.id,
        type: profile.type,
        provider: profile.provider,
        providerAccountId: profile.providerAccountId,
      },
    });
    return toUserDto(user);
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
