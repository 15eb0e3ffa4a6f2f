// The account service as Berth's settings configure it: links to BERTH_URL, reset-link lifetime,
// mail over SMTP_URL when set, and whether new accounts verify their email first.
import type { Config } from '../config';
import type { Logger } from '../core/logger';
import type { PrismaClient } from '../db';
import type { SessionService, TokenService, UserService } from '../auth';
import type { ProjectService } from '../projects';
import { AccountLinks } from './account-links';
import { AccountService } from './account-service';
import { createSmtpMailer } from './mailer';

export function createAccounts(
  config: Pick<
    Config,
    'BERTH_URL' | 'PASSWORD_RESET_TTL_MINUTES' | 'SMTP_URL' | 'MAIL_FROM' | 'REQUIRE_EMAIL_VERIFICATION'
  >,
  deps: {
    prisma: PrismaClient;
    users: UserService;
    sessions: SessionService;
    tokens: TokenService;
    projects: ProjectService;
  },
  log: Logger,
): AccountService {
  const sender = config.MAIL_FROM ?? `Berth <berth@${new URL(config.BERTH_URL).hostname}>`;
  return new AccountService(
    deps.prisma,
    deps.users,
    deps.sessions,
    deps.tokens,
    deps.projects,
    new AccountLinks(deps.prisma),
    {
      baseUrl: config.BERTH_URL,
      resetLinkTtlMs: config.PASSWORD_RESET_TTL_MINUTES * 60_000,
      mailer: config.SMTP_URL ? createSmtpMailer(config.SMTP_URL, sender) : undefined,
      requireEmailVerification: config.REQUIRE_EMAIL_VERIFICATION,
    },
    log,
  );
}
