// Deployments on the wire (issue 14): a project's environments, their variables and their
// history of deployments (GET|POST …/environments, GET|PUT …/environments/:env/variables,
// POST|GET …/environments/:env/deployments, …/deployments/:did[/rollback], …/stop, DELETE).
import { z } from 'zod';

export const DEPLOYMENT_STATUSES = [
  'queued',
  'building',
  'starting',
  'live',
  'failed',
  'stopped',
  'superseded',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** The environment every project has (created on first use). */
export const DEFAULT_ENVIRONMENT = 'production';
/**
 * An environment's name: part of its URL's host name (d-<slug>-<env>), so a DNS label's rules:
 * a lower-case letter first, no dash last, at most 31 characters.
 */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z]([a-z0-9-]{0,29}[a-z0-9])?$/;
/** Environments one project may have (`production` included); one more is refused (409 too_many_environments). */
export const ENVIRONMENTS_MAX_PER_PROJECT = 20;
/** What a masked secret reads as; sent back unchanged in a PUT, it keeps the stored value. */
export const MASKED_VALUE = '••••••••';

/**
 * The serving container's state as the engine reports it: 'starting' until its health check has a
 * verdict, 'healthy'/'unhealthy' after, 'restarting' after a crash, 'exited' when it no longer runs.
 */
export const DEPLOYMENT_HEALTHS = ['starting', 'healthy', 'unhealthy', 'restarting', 'exited'] as const;
export type DeploymentHealth = (typeof DEPLOYMENT_HEALTHS)[number];

/** How a project is built and served (ADR deploy, "Plan"): detected from package.json, editable. */
export const buildPlanSchema = z.object({
  framework: z.enum(['next', 'vite', 'node', 'static']),
  /** Shell command that installs dependencies; null when there are none. */
  installCommand: z.string().trim().min(1).max(2000).nullable(),
  /** Shell command that builds; null when nothing is built. */
  buildCommand: z.string().trim().min(1).max(2000).nullable(),
  /** Berth's static server over a folder of the project, or the app's own command. */
  serve: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('static'),
      dir: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .refine((dir) => !dir.startsWith('/') && !dir.split('/').includes('..'), 'a folder inside the project'),
    }),
    z.object({ kind: z.literal('command'), command: z.string().trim().min(1).max(2000) }),
  ]),
  /** The port the app listens on (given to it as PORT). */
  port: z.number().int().min(1024).max(65535),
});
export type BuildPlanDto = z.infer<typeof buildPlanSchema>;

export interface EnvironmentDto {
  name: string;
  private: boolean;
  createdAt: string;
  /**
   * The deployment URL, `${scheme}://d-<projectId>-<env>.<PREVIEW_DOMAIN>/`: the project's id is
   * the slug (unique, kept when the project is renamed, no dashes). A private one is opened
   * through GET …/environments/:env/open (the sign-in hand-off), not this URL directly.
   */
  url: string;
  /**
   * The plan the next deploy uses: the edited one (planEdited) or the one detected from the
   * project's latest snapshot (or its last deployment); null when nothing is known yet.
   */
  plan: BuildPlanDto | null;
  planEdited: boolean;
  /** The deployment serving (or last served) this environment, if any; health null when no container is there. */
  current: { id: string; status: DeploymentStatus; health: DeploymentHealth | null } | null;
}

export interface DeploymentVariableDto {
  name: string;
  /** A secret's value is MASKED_VALUE here. */
  value: string;
  secret: boolean;
}

/** One deployment in the history (GET …/deployments). */
export interface DeploymentSummaryDto {
  id: string;
  environment: string;
  snapshotId: string;
  /** Who deployed. */
  createdBy: string;
  status: DeploymentStatus;
  /** Set when this one reuses another's image (rollback). */
  rollbackOf: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  /** Its image is still kept: it can be rolled back to. */
  imageKept: boolean;
}

/** One deployment whole (GET …/deployments/:did): its plan and build log too. */
export interface DeploymentDto extends DeploymentSummaryDto {
  plan: unknown;
  /** The build's output (its last part when long). */
  buildLog: string;
}

export const environmentNameSchema = z
  .string()
  .regex(
    ENVIRONMENT_NAME_PATTERN,
    'a lower-case letter, then up to 30 lower-case letters, digits or dashes (not ending with a dash)',
  );

export const createEnvironmentSchema = z.object({
  name: environmentNameSchema,
  private: z.boolean().optional(),
});

const variableNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'letters, digits and _, not starting with a digit')
  .refine((name) => name !== 'PORT' && name !== 'HOST', 'PORT and HOST are set by Berth');

export const putVariablesSchema = z.object({
  variables: z
    .array(
      z.object({
        name: variableNameSchema,
        value: z.string().max(32_768),
        secret: z.boolean().optional(),
      }),
    )
    .max(200)
    .refine((list) => new Set(list.map((item) => item.name)).size === list.length, 'names must be unique'),
});
export type PutVariablesInput = z.infer<typeof putVariablesSchema>;

/** PATCH …/environments/:env → 200 EnvironmentDto. plan null = back to the detected plan. */
export const patchEnvironmentSchema = z
  .object({
    private: z.boolean().optional(),
    plan: buildPlanSchema.nullable().optional(),
  })
  .strict();
export type PatchEnvironmentInput = z.infer<typeof patchEnvironmentSchema>;

export const createDeploymentSchema = z.object({
  /** Deploy this snapshot; a new one is taken when absent. */
  snapshotId: z.string().min(1).max(100).optional(),
});

/**
 * Live logs as Server-Sent Events (text/event-stream), owner-checked:
 * - GET …/environments/:env/deployments/:did/logs — the build log: what exists first, then new
 *   output live; `log` events, `status` whenever the status changes, `end` once it reached a
 *   final state (live, failed, stopped, superseded), then the stream closes.
 * - GET …/environments/:env/logs?tail=200 — the serving container's output (its last `tail`
 *   lines, then live) as `log` events until the client closes, then `end` {reason:'stopped'}
 *   when the container stops; 404 {error:'not_running'} when nothing runs; 429
 *   {error:'too_many_log_streams'} past 10 open at once per user.
 * Both start with a `retry:` line (5 s); a client too slow to take the events (over 1 MB unsent)
 * has its stream closed without `end`, and EventSource reconnects then from the start (the tail).
 */
export type DeployLogEvent =
  | { event: 'log'; data: { text: string } }
  | { event: 'status'; data: { status: DeploymentStatus } }
  | { event: 'end'; data: { status: DeploymentStatus } };

/** The statuses after which a deployment's build log no longer changes. */
export const FINAL_DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = ['live', 'failed', 'stopped', 'superseded'];

export const runtimeLogsQuerySchema = z.object({
  tail: z.coerce.number().int().min(0).max(5000).default(200),
});

/**
 * GET …/environments/:env/open → 302: a public deployment's URL, or for a private one its
 * `/__berth/auth?t=<token>` hand-off (the deployment host sets its own cookie, then goes to /).
 */
export const DEPLOY_AUTH_PATH = '/__berth/auth';

/**
 * A deployment's host label, `d-<projectId>-<env>`: the project's id is its slug (unique, kept
 * when the project is renamed, never a dash in it), so the first dash after `d-` ends it and the
 * environment (which may hold dashes) is the rest.
 */
export const deploymentLabel = (projectId: string, environment: string): string => `d-${projectId}-${environment}`;

const DEPLOYMENT_LABEL = /^d-([a-z0-9]{1,40})-(.+)$/;

/** The (project, environment) a host label names, or null when it is no deployment label. */
export function parseDeploymentLabel(label: string): { projectId: string; environment: string } | null {
  const match = DEPLOYMENT_LABEL.exec(label);
  if (!match || !ENVIRONMENT_NAME_PATTERN.test(match[2]!)) return null;
  return { projectId: match[1]!, environment: match[2]! };
}

/** An environment's deployment URL, `${scheme}://d-<projectId>-<env>.<domain>/`. */
export const deploymentUrl = (scheme: string, domain: string, projectId: string, environment: string): string =>
  `${scheme}://${deploymentLabel(projectId, environment)}.${domain}/`;
