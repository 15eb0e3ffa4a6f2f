'use client';
// A project's sync link (null: not linked; undefined: still loading), with a setter for the
// dialogs that change it.
import { useCallback, useEffect, useState } from 'react';
import type { LinkDto } from '@/server/contracts';
import { errorText, getLink } from './sync-api';

export function useLink(projectId: string, enabled = true) {
  const [link, setLink] = useState<LinkDto | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(
    () =>
      getLink(projectId).then(
        (found) => {
          setLink(found);
          setError(null);
        },
        (caught: unknown) => setError(errorText(caught)),
      ),
    [projectId],
  );
  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, reload]);
  return { link, error, setLink, reload };
}
