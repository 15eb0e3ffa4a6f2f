'use client';
// A linked project's sync status, read at a modest rate (GET …/sync asks the remote too): every
// `everyMs` while the tab is visible, once when it comes back into view, and on refresh() (after
// a sync). One request at a time; nothing at all while `enabled` is false (no link).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SyncStatusDto } from '@/server/contracts';
import { errorText, getSyncStatus } from './sync-api';

export interface SyncStatusState {
  status: SyncStatusDto | null;
  /** Why the last read failed (shown as the ⚫ light). */
  error: string | null;
  refresh(): Promise<void>;
}

export function useSyncStatus(projectId: string, enabled: boolean, everyMs = 30_000): SyncStatusState {
  const [status, setStatus] = useState<SyncStatusDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const lastRead = useRef(0);

  const refresh = useCallback(() => {
    inFlight.current ??= getSyncStatus(projectId)
      .then(
        (next) => {
          setStatus(next);
          setError(null);
        },
        (caught: unknown) => setError(errorText(caught)),
      )
      .finally(() => {
        lastRead.current = Date.now();
        inFlight.current = null;
      });
    return inFlight.current;
  }, [projectId]);

  useEffect(() => {
    if (!enabled) {
      setStatus(null);
      setError(null);
      return;
    }
    void refresh();
    const timer = setInterval(() => {
      if (!document.hidden) void refresh();
    }, everyMs);
    const onVisible = () => {
      if (!document.hidden && Date.now() - lastRead.current > everyMs) void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [enabled, everyMs, refresh]);

  return { status, error, refresh };
}
