// The only reader of process.env: every setting Berth has, parsed once with zod.
// Each one is documented in README.md and .env.example.
import path from 'node:path';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A comma-separated list, entries trimmed and lower-cased (emails, host names), empty ones dropped. */
const lowerCaseList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
  );

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== '' ? value.trim() : undefined));

const httpUrl = (error: string) => z.url({ protocol: /^https?$/, error });

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Public URL of the IDE; the exact Origin allowed on Socket.IO and next-auth's base URL. */
  BERTH_URL: optionalString.pipe(z.url().optional()),
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: optionalString,
  AUTH_SECRET: optionalString.pipe(z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional()),
  GITHUB_ID: optionalString,
  GITHUB_SECRET: optionalString,
  ALLOW_SIGNUP: booleanFromEnv.default(true),
  SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  SIGNIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Sign-ups from one address per SIGNIN_WINDOW_SECONDS before each further one must wait. */
  SIGNUPS_PER_IP: z.coerce.number().int().min(1).default(30),
  TRUST_PROXY: booleanFromEnv.default(false),
  /** Docker engine; unset = the default socket. */
  DOCKER_HOST: optionalString,
  /** Workspace image tag; unset = the one scripts/workspace-image.mjs built (recorded in DATA_DIR/workspace-image). */
  WORKSPACE_IMAGE: optionalString,
  WORKSPACE_MEMORY_MB: z.coerce.number().int().min(128).default(2048),
  WORKSPACE_CPUS: z.coerce.number().min(0.1).max(64).default(1),
  WORKSPACE_PIDS_LIMIT: z.coerce.number().int().min(32).default(512),
  /** Extra CA bundle mounted read-only into workspaces ('' turns it off). */
  WORKSPACE_CA_BUNDLE: z.string().default('/etc/ssl/certs/ca-certificates.crt'),
  /** Labels this installation's workspaces, so Berths sharing one engine never adopt or reap each other's. */
  WORKSPACE_SCOPE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'WORKSPACE_SCOPE: lowercase letters, digits and dashes')
    .default('default'),
  WORKSPACE_IDLE_MINUTES: z.coerce.number().min(1).default(30),
  /** How Berth reaches workspace agents: a loopback-published port, or a control network per workspace; auto = network when Berth runs in a container of the engine it drives. */
  WORKSPACE_AGENT_ACCESS: z.enum(['auto', 'published', 'network']).default('auto'),
  /** IPv4 pool for the control networks' /29 subnets (network access). */
  WORKSPACE_CONTROL_SUBNETS: z
    .string()
    .regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'WORKSPACE_CONTROL_SUBNETS: an IPv4 CIDR such as 10.213.0.0/16')
    .default('10.213.0.0/16'),
  /** Berth's own container (network access), joined to each control network; unset = this container's host name. */
  BERTH_CONTAINER: optionalString,
  /** Workspaces one user may have starting or running at once; 0 = no limit. */
  WORKSPACE_MAX_RUNNING_PER_USER: z.coerce.number().int().min(0).default(3),
  /** Disk per workspace in GB (fractions allowed), volume and writable layer together (ADR 0006); 0 = no limit. */
  WORKSPACE_DISK_GB: z.coerce.number().min(0).max(100_000).default(10),
  /** How often workspace disk usage is measured (the watch that stops a workspace past the limit). */
  WORKSPACE_DISK_CHECK_SECONDS: z.coerce.number().min(1).max(3600).default(15),
  /** Deployments (issue 14) one user may have running at once, over all projects and environments; 0 = no limit. */
  DEPLOYMENTS_MAX_PER_USER: z.coerce.number().int().min(0).default(3),
  /** Deployment images kept per environment for rollback (the serving one is always kept). */
  DEPLOY_IMAGES_KEPT: z.coerce.number().int().min(1).max(100).default(5),
  /** A deployment's build (install and build) past this many seconds is stopped and fails. */
  DEPLOY_BUILD_TIMEOUT_S: z.coerce.number().int().min(10).max(7200).default(600),
  /** Comma-separated emails of the users who may open /admin. */
  BERTH_ADMIN_EMAILS: lowerCaseList,
  /** Bearer token /metrics requires; unset = /metrics is open (keep it off the public network then). */
  METRICS_TOKEN: optionalString,
  /** Largest file that can be uploaded or saved, in MB (uploads past it get 413). */
  FILE_MAX_MB: z.coerce.number().min(1).max(10_240).default(50),
  /** Seconds from a change in a workspace to its automatic snapshot. */
  SNAPSHOT_DEBOUNCE_SECONDS: z.coerce.number().min(1).default(30),
  /** Unlabelled snapshots kept per project (labelled ones are always kept). */
  SNAPSHOT_KEEP: z.coerce.number().int().min(1).default(50),
  /** Files larger than this (MB) are left out of snapshots and listed as skipped. */
  SNAPSHOT_MAX_FILE_MB: z.coerce.number().min(0.001).max(1024).default(20),
  /** Comma-separated hosts a git import may clone from although they resolve to internal addresses (plain http allowed for them). */
  GIT_ALLOW_PRIVATE_HOSTS: lowerCaseList,
  /** Comma-separated hosts a sync remote (another Berth) may name although they resolve to internal addresses (plain http allowed for them). */
  SYNC_ALLOW_PRIVATE_HOSTS: lowerCaseList,
  /** Seconds from a linked project's last file change to its automatic sync (links with autoSync). */
  SYNC_AUTO_DEBOUNCE_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
  /** Largest blob upload (…/sync/peer/blobs) one request may carry once inflated, in MB; one blob is capped by SNAPSHOT_MAX_FILE_MB. */
  SYNC_UPLOAD_MAX_MB: z.coerce.number().min(1).max(102_400).default(1024),
  /** Largest ZIP a project can be imported from, in MB. */
  IMPORT_MAX_MB: z.coerce.number().min(1).max(10_240).default(200),
  /** Previews are served on p-<capability>.<PREVIEW_DOMAIN>; unset = localhost:<PORT>. */
  PREVIEW_DOMAIN: optionalString.pipe(
    z
      .string()
      .regex(
        /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i,
        'PREVIEW_DOMAIN: a host name, optionally with :port, e.g. preview.example.com',
      )
      .optional(),
  ),
  /** How long a preview URL (capability) stays valid. */
  PREVIEW_TTL_MINUTES: z.coerce.number().min(0.01).default(720),
  /** Extra host names (comma-separated, port optional) the IDE answers on besides BERTH_URL's; others get 421. */
  BERTH_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Open Socket.IO connections one user may hold; one more is refused with a clear message. */
  SOCKETS_MAX_PER_USER: z.coerce.number().int().min(1).default(50),
  /** Ports a preview may be offered for: ranges like 1024-65535 or 3000,5173,8000-8100. */
  PREVIEW_PORTS: z
    .string()
    .default('1024-65535')
    .transform((value, ctx) => {
      const ranges = value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => {
          const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
          const from = Number(match?.[1]);
          const to = Number(match?.[2] ?? match?.[1]);
          return match && from >= 1 && to <= 65535 && from <= to ? ([from, to] as const) : null;
        });
      if (ranges.length === 0 || ranges.some((range) => range === null)) {
        ctx.addIssue({ code: 'custom', message: 'PREVIEW_PORTS: ranges such as 1024-65535 or 3000,5173,8000-8100' });
        return z.NEVER;
      }
      return ranges as (readonly [number, number])[];
    }),
  /** SMTP server for password-reset and verification mail, e.g. smtp://user:pass@mail.example.com:587 */
  SMTP_URL: optionalString,
  /** Sender of Berth's mail, e.g. "Berth <berth@example.com>". */
  MAIL_FROM: optionalString,
  /** New accounts confirm their email (a mailed link) before their first sign-in; needs SMTP_URL. */
  REQUIRE_EMAIL_VERIFICATION: booleanFromEnv.default(false),
  /** How long an admin's or a mailed password-reset link stays valid. */
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().min(1).max(10_080).default(60),
  /** Assistant: an OpenAI-compatible endpoint ending in /v1; unset with AI_OPENAI_API_KEY set = OpenAI's own. */
  AI_OPENAI_BASE_URL: optionalString.pipe(
    httpUrl('AI_OPENAI_BASE_URL: an http(s) URL such as http://localhost:1234/v1').optional(),
  ),
  /** Secret: never logged, never sent to browsers or workspaces. */
  AI_OPENAI_API_KEY: optionalString,
  /** Secret: never logged, never sent to browsers or workspaces. */
  AI_ANTHROPIC_API_KEY: optionalString,
  /** Ollama's native API, e.g. http://localhost:11434 */
  AI_OLLAMA_URL: optionalString.pipe(
    httpUrl('AI_OLLAMA_URL: an http(s) URL such as http://localhost:11434').optional(),
  ),
  /** The model a message without one uses: <provider>:<model>, e.g. ollama:qwen2.5-coder:7b */
  AI_DEFAULT_MODEL: optionalString.pipe(
    z
      .string()
      .regex(
        /^(openai|anthropic|ollama):.+$/,
        'AI_DEFAULT_MODEL: <provider>:<model> with provider openai, anthropic or ollama, e.g. openai:gpt-4.1',
      )
      .optional(),
  ),
  /** Comma-separated hosts a user's own model provider URL may name although they resolve to internal addresses. */
  AI_ALLOW_PRIVATE_HOSTS: lowerCaseList,
  /** Model calls (steps) one assistant turn may make. */
  AI_MAX_STEPS: z.coerce.number().int().min(1).max(500).default(25),
  /** The model's context window in tokens (estimated at ~4 characters each); longer conversations are trimmed. */
  AI_CONTEXT_TOKENS: z.coerce.number().int().min(2_000).max(10_000_000).default(32_000),
  /** Tokens one model call may answer at most (part of AI_CONTEXT_TOKENS is kept free for them). */
  AI_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(256).max(1_000_000).default(8192),
  /** Turns per project whose snapshots (their undo points) are kept; older turns' snapshots are deleted. */
  AI_TURN_SNAPSHOTS_KEPT: z.coerce.number().int().min(1).max(100_000).default(50),
  /** Assistant turns one user may start per minute; past it POST …/messages answers 429 rate_limited. */
  AI_TURNS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Model ids (<provider>:<model>, comma-separated) that get the text protocol instead of tool calls. */
  AI_TEXT_PROTOCOL_MODELS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(/^(openai|anthropic|ollama):.+$/, 'AI_TEXT_PROTOCOL_MODELS: <provider>:<model> ids, comma-separated'),
      ),
    ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends Omit<RawConfig, 'BERTH_URL' | 'DATA_DIR' | 'PREVIEW_DOMAIN'> {
  BERTH_URL: string;
  /** Lowercase, e.g. localhost:3000 */
  PREVIEW_DOMAIN: string;
  DATA_DIR: string;
  /** Folder holding the app (package.json, prisma/, .next/): the working directory. */
  appDir: string;
  /** Origin of BERTH_URL, e.g. http://localhost:3000 */
  origin: string;
  githubEnabled: boolean;
  dev: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid settings:\n${lines.join('\n')}`);
  }
  const raw = parsed.data;
  if (raw.REQUIRE_EMAIL_VERIFICATION && !raw.SMTP_URL)
    throw new ConfigError(
      'Invalid settings:\n  REQUIRE_EMAIL_VERIFICATION: needs SMTP_URL (the verification link is mailed)',
    );
  const berthUrl = raw.BERTH_URL ?? `http://localhost:${raw.PORT}`;
  return {
    ...raw,
    BERTH_URL: berthUrl.replace(/\/$/, ''),
    DATA_DIR: path.resolve(cwd, raw.DATA_DIR),
    PREVIEW_DOMAIN: (raw.PREVIEW_DOMAIN ?? `localhost:${raw.PORT}`).toLowerCase(),
    appDir: cwd,
    origin: new URL(berthUrl).origin,
    githubEnabled: Boolean(raw.GITHUB_ID && raw.GITHUB_SECRET),
    dev: raw.NODE_ENV === 'development',
  };
}
