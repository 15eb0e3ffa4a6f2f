// The Socket.IO wire contract: event names (domain:verb), payload schemas and ack shapes.
// Shared by the server (which parses every inbound payload) and the browser client.
import { z } from 'zod';
import type { ProjectDto } from './projects';

export const projectOpenSchema = z.object({ projectId: z.string().min(1).max(64) });

export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export interface ClientToServerEvents {
  'project:open': (payload: z.infer<typeof projectOpenSchema>, ack: (result: Ack<ProjectDto>) => void) => void;
}

export interface ServerToClientEvents {
  'project:updated': (project: ProjectDto) => void;
  'project:deleted': (payload: { projectId: string }) => void;
}
