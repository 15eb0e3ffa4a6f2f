// The identifier rules every payload shares, written once.
import { z } from 'zod';

export const projectIdSchema = z.string().min(1).max(64);
export const terminalIdSchema = z.string().min(1).max(64);

/** A payload that names only a project: `{ projectId }`. */
export const projectRefSchema = z.object({ projectId: projectIdSchema });
