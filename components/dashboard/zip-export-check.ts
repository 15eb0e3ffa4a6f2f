// Before a ZIP download starts, ask the server whether it can (GET export.zip?check=1: 204, or
// the 422 unexportable_name the download itself would answer). A plain link would save that
// JSON refusal as a file, or fail silently; the download proper stays a streamed <a download>.
import { z } from 'zod';

export type ZipExportCheck =
  { status: 'ok' } | { status: 'refused'; message: string; path?: string } | { status: 'failed'; message: string };

const errorBodySchema = z
  .object({ error: z.string().optional(), message: z.string().optional(), path: z.string().optional() })
  .passthrough();

export const zipExportUrl = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}/export.zip`;
export const bundleUrl = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}/bundle`;

export async function checkZipExport(projectId: string, fetchImpl: typeof fetch = fetch): Promise<ZipExportCheck> {
  let response: Response;
  try {
    response = await fetchImpl(`${zipExportUrl(projectId)}?check=1`, { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    return { status: 'failed', message: 'Berth did not answer. Try again in a moment.' };
  }
  if (response.ok) {
    void response.body?.cancel().catch(() => undefined); // a server that ignores ?check would start the ZIP
    return { status: 'ok' };
  }
  const body = errorBodySchema.safeParse(await response.json().catch(() => undefined));
  const message = body.success ? body.data.message : undefined;
  if (response.status === 422 && body.success && body.data.error === 'unexportable_name') {
    return { status: 'refused', message: message ?? 'A file name cannot go into a ZIP.', path: body.data.path };
  }
  return { status: 'failed', message: message ?? `The download could not start (HTTP ${response.status}).` };
}

/** Starts the streamed download the way a click on `<a href download>` does. */
export function startDownload(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}
