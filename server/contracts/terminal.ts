// Terminals on the wire. A terminal is a login shell in the workspace; it lives on the server
// while browsers come and go, and its scrollback is replayed when a browser (re)attaches.
import { z } from 'zod';
import { projectIdSchema, terminalIdSchema } from './ids';

const terminalId = terminalIdSchema;
const size = { cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) };

export const terminalCreateSchema = z.object({
  projectId: projectIdSchema,
  title: z.string().trim().min(1).max(64).optional(),
  ...size,
});
export const terminalAttachSchema = z.object({ terminalId });
export const terminalInputSchema = z.object({ terminalId, data: z.string().max(64 * 1024) });
export const terminalResizeSchema = z.object({ terminalId, ...size });
export const terminalCloseSchema = z.object({ terminalId });
export const terminalRenameSchema = z.object({
  terminalId,
  title: z.string().trim().min(1, 'Title must not be empty').max(64),
});
export const terminalRestartSchema = z.object({ terminalId, ...size });

export type TerminalState = 'running' | 'exited';

export interface TerminalDto {
  id: string;
  projectId: string;
  title: string;
  state: TerminalState;
  exitCode: number | null;
  createdAt: string;
}

export interface TerminalAttachDto extends TerminalDto {
  /** Everything the ring buffer still holds, to write into the fresh xterm. */
  scrollback: string;
}
