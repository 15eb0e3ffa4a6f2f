// Uploads a project ZIP as multipart/form-data with XMLHttpRequest, because fetch cannot
// report upload progress. Errors come back as Berth's JSON {error, message}.
import type { ApiErrorBody, ProjectDto } from '@/server/contracts';

export interface ImportHandle {
  done: Promise<ProjectDto>;
  abort(): void;
}

export class ImportError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function importProjectZip(
  file: File,
  name: string | undefined,
  onProgress: (fraction: number) => void,
): ImportHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<ProjectDto>((resolve, reject) => {
    const form = new FormData();
    // Fields before the file: the server may read the name while the file streams.
    if (name) form.append('name', name);
    form.append('file', file, file.name);
    xhr.open('POST', '/api/v1/projects/import');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if (xhr.status === 201 && body && 'id' in body) resolve(body as unknown as ProjectDto);
      else {
        const error = body && 'message' in body ? (body as unknown as ApiErrorBody) : null;
        reject(
          new ImportError(
            xhr.status,
            error?.error ?? 'http_error',
            error?.message ?? `The import failed (HTTP ${xhr.status})`,
          ),
        );
      }
    };
    xhr.onerror = () =>
      reject(
        new ImportError(
          0,
          'network',
          'The upload failed: network error (the file may be larger than the server accepts)',
        ),
      );
    xhr.onabort = () => reject(new ImportError(0, 'aborted', 'Upload cancelled'));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

function parse(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
