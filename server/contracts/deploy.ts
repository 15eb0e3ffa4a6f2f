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
/** An environment's name: part of its URL's host name (d-<slug>-<env>). */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,30}$/;
/** What a masked secret reads as; sent back unchanged in a PUT, it keeps the stored value. */
export const MASKED_VALUE = '••••••••';

export interface EnvironmentDto {
  name: string;
  private: boolean;
  createdAt: string;
  /** The deployment serving (or last served) this environment, if any. */
  current: { id: string; status: DeploymentStatus } | null;
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
}

/** One deployment whole (GET …/deployments/:did): its plan and build log too. */
export interface DeploymentDto extends DeploymentSummaryDto {
  plan: unknown;
  /** The build's output (its last part when long). */
  buildLog: string;
  /** Its image is still kept: it can be rolled back to. */
  imageKept: boolean;
}

export const environmentNameSchema = z
  .string()
  .regex(ENVIRONMENT_NAME_PATTERN, 'a lower-case letter, then up to 30 lower-case letters, digits or dashes');

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

export const createDeploymentSchema = z.object({
  /** Deploy this snapshot; a new one is taken when absent. */
  snapshotId: z.string().min(1).max(100).optional(),
});
