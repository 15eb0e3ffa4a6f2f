'use client';
// Uploads dropped or picked files with progress (XHR PUT of raw bytes: binary-safe).
import { useCallback, useRef, useState } from 'react';
import { uploadFile } from './files-rest';
import { joinPath } from './paths';

export interface UploadItem {
  id: number;
  path: string;
  progress: number;
  status: 'uploading' | 'done' | 'error';
  error?: string;
}

export function useUploads(projectId: string, onDone: (dir: string) => void) {
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const nextId = useRef(1);

  const patch = (id: number, change: Partial<UploadItem>) =>
    setUploads((items) => items.map((item) => (item.id === id ? { ...item, ...change } : item)));

  const upload = useCallback(
    (dir: string, files: FileList | File[]) => {
      for (const file of Array.from(files)) {
        const id = nextId.current++;
        const path = joinPath(dir, file.name);
        setUploads((items) => [...items, { id, path, progress: 0, status: 'uploading' }]);
        uploadFile(projectId, path, file, (progress) => patch(id, { progress })).done.then(
          () => {
            patch(id, { status: 'done', progress: 1 });
            onDone(dir);
            setTimeout(() => setUploads((items) => items.filter((item) => item.id !== id)), 2000);
          },
          (cause: Error) => patch(id, { status: 'error', error: cause.message }),
        );
      }
    },
    [projectId, onDone],
  );

  const dismiss = (id: number) => setUploads((items) => items.filter((item) => item.id !== id));
  return { uploads, upload, dismiss };
}
