// REST calls of a project's Exports dialog: its export history, its snapshots (the bases a
// changes bundle can start from), the changes bundle's URL, and applying a changes bundle made
// elsewhere onto this project (POST …/bundle: 409 when the project lacks the bundle's base).
import type {
  ApiErrorBody,
  ExportHistoryDto,
  ExportKind,
  IncrementalImportResultDto,
  SnapshotDto,
} from '@/server/contracts';
import { api, ApiError } from '../api-client';

const project = (projectId: string) => `/projects/${encodeURIComponent(projectId)}`;

export const listExports = (projectId: string) => api<ExportHistoryDto>(`${project(projectId)}/exports`);

export const listSnapshots = (projectId: string) => api<SnapshotDto[]>(`${project(projectId)}/snapshots`);

/** The bundle of what changed after `snapshotId` (the browser streams it as a download). */
export const changesBundleUrl = (projectId: string, snapshotId: string) =>
  `/api/v1${project(projectId)}/bundle?since=${encodeURIComponent(snapshotId)}`;

export async function applyChangesBundle(projectId: string, file: File): Promise<IncrementalImportResultDto> {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await fetch(`/api/v1${project(projectId)}/bundle`, {
    method: 'POST',
    credentials: 'same-origin',
    body: form,
  });
  const payload = (await response
    .json()
    .catch(() => ({ error: 'bad_response', message: `HTTP ${response.status}` }))) as unknown;
  if (!response.ok) throw new ApiError(response.status, payload as ApiErrorBody);
  return payload as IncrementalImportResultDto;
}

/** Each kind in words (a new kind fails the type check here). */
export const exportKindLabel: Record<ExportKind, string> = {
  zip: 'Files (ZIP)',
  full: 'Full bundle',
  incremental: 'Changes bundle',
  conversations: 'Conversation',
};
