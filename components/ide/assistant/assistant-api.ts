// REST calls of the Assistant panel (same origin, cookie auth). A turn's events reach every tab
// over Socket.IO (`ai:*`), so the panel reads the POST …/messages stream only for how it ends:
// a refusal before any event (409 busy, 429, 400) or the stream's own error.
import type {
  AiModelListDto,
  AssistantTurnEventDto,
  ConversationDto,
  ConversationListDto,
  DuplicatedConversationDto,
  ProjectDto,
  SendMessageInput,
  TurnRewindResultDto,
  TurnUndoResultDto,
} from '@/server/contracts';
import { api, ApiError } from '../../api-client';

const conversations = (projectId: string) => `/projects/${encodeURIComponent(projectId)}/conversations`;
const conversation = (projectId: string, conversationId: string) =>
  `${conversations(projectId)}/${encodeURIComponent(conversationId)}`;

export const listModels = () => api<AiModelListDto>('/ai/models');

export const listConversations = (projectId: string) => api<ConversationListDto>(conversations(projectId));

export const createConversation = (projectId: string, title?: string) =>
  api<{ id: string }>(conversations(projectId), { method: 'POST', body: title ? { title } : {} });

export const getConversation = (projectId: string, conversationId: string) =>
  api<ConversationDto>(conversation(projectId, conversationId));

export const renameConversation = (projectId: string, conversationId: string, title: string) =>
  api(conversation(projectId, conversationId), { method: 'PATCH', body: { title } });

export const deleteConversation = (projectId: string, conversationId: string) =>
  api(conversation(projectId, conversationId), { method: 'DELETE' });

/** A copy of the conversation in `targetProjectId` (another of the user's projects), or in the same one. */
export const duplicateConversation = (projectId: string, conversationId: string, targetProjectId?: string) =>
  api<DuplicatedConversationDto>(`${conversation(projectId, conversationId)}/duplicate`, {
    method: 'POST',
    body: targetProjectId && targetProjectId !== projectId ? { targetProjectId } : {},
  });

/** The user's projects: where a conversation can be duplicated to. */
export const listProjects = () => api<ProjectDto[]>('/projects');

export const stopTurn = (projectId: string, conversationId: string) =>
  api(`${conversation(projectId, conversationId)}/stop`, { method: 'POST', body: {} });

export const undoTurn = (projectId: string, conversationId: string, turnId: string, force = false) =>
  api<TurnUndoResultDto>(`${conversation(projectId, conversationId)}/turns/${encodeURIComponent(turnId)}/undo`, {
    method: 'POST',
    body: force ? { force: true } : {},
  });

export const rewindTurn = (projectId: string, conversationId: string, turnId: string, force = false) =>
  api<TurnRewindResultDto>(`${conversation(projectId, conversationId)}/turns/${encodeURIComponent(turnId)}/rewind`, {
    method: 'POST',
    body: force ? { force: true } : {},
  });

export const conversationExportUrl = (projectId: string, conversationId: string) =>
  `/api/v1${conversation(projectId, conversationId)}/export`;

/** Sends a conversation file (a `berth-conversation` download) as it is; the server checks it. */
export async function importConversation(projectId: string, file: Blob): Promise<{ id: string }> {
  const response = await fetch(`/api/v1${conversations(projectId)}/import`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: file,
  });
  const payload = (await response
    .json()
    .catch(() => ({ error: 'bad_response', message: `HTTP ${response.status}` }))) as unknown;
  if (!response.ok) throw new ApiError(response.status, payload as ConstructorParameters<typeof ApiError>[1]);
  return payload as { id: string };
}

/**
 * Sends a request and waits for the turn to end. Throws an ApiError when the server refuses it
 * (busy, rate limited, bad input); resolves with the turn's error message when it failed, else null.
 */
export async function sendMessage(
  projectId: string,
  conversationId: string,
  input: SendMessageInput,
): Promise<string | null> {
  const response = await fetch(`/api/v1${conversation(projectId, conversationId)}/messages`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify(input),
  });
  if (!response.ok || !response.body) {
    const body = (await response
      .json()
      .catch(() => ({ error: 'bad_response', message: `HTTP ${response.status}` }))) as ConstructorParameters<
      typeof ApiError
    >[1];
    throw new ApiError(response.status, body);
  }
  let failure: string | null = null;
  for await (const event of readEvents(response.body)) if (event.type === 'error') failure = event.message;
  return failure;
}

/** The `data:` lines of a text/event-stream, parsed (comment lines skipped). */
async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<AssistantTurnEventDto> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      if (data) yield JSON.parse(data) as AssistantTurnEventDto;
    }
  }
}
