// The REST side of files: raw bytes for previews, downloads and uploads (same origin, so the
// session cookie goes along; browsers send Origin on PUT, which Berth checks).

export function contentUrl(projectId: string, path: string, download = false): string {
  const query = new URLSearchParams({ path });
  if (download) query.set('download', '1');
  return `/api/v1/projects/${encodeURIComponent(projectId)}/files/content?${query.toString()}`;
}

export interface UploadHandle {
  done: Promise<void>;
  abort(): void;
}

/** PUTs a file's raw bytes with XMLHttpRequest, reporting progress from 0 to 1. */
export function uploadFile(
  projectId: string,
  path: string,
  file: Blob,
  onProgress: (fraction: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<void>((resolve, reject) => {
    xhr.open('PUT', contentUrl(projectId, path));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new Error(errorMessage(xhr) ?? `Upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error('Upload failed: network error'));
    xhr.onabort = () => reject(new Error('Upload cancelled'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

function errorMessage(xhr: XMLHttpRequest): string | null {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { message?: string } | string; message?: string };
    if (typeof body.error === 'string') return body.error;
    return body.error?.message ?? body.message ?? null;
  } catch {
    return null;
  }
}
