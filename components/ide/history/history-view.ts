'use client';
// What the History panel and the editor area share: which snapshot file is being compared, the
// last restore's outcome, and a counter that tells the "Changes since then" list to refetch.
import { useCallback, useState } from 'react';
import type { SnapshotDiffEntry, SnapshotDto } from '@/server/contracts';
import type { RestoreResult } from './snapshots-api';

export interface Comparing {
  snapshot: SnapshotDto;
  entry: SnapshotDiffEntry;
}

export interface RestoreOutcome extends RestoreResult {
  /** The one file restored, or absent for the whole project. */
  path?: string;
}

export function useHistoryView() {
  const [comparing, setComparing] = useState<Comparing | null>(null);
  const [outcome, setOutcome] = useState<RestoreOutcome | null>(null);
  const [changesTick, setChangesTick] = useState(0);
  const didRestore = useCallback((result: RestoreOutcome) => {
    setOutcome(result);
    setChangesTick((tick) => tick + 1);
  }, []);
  return { comparing, setComparing, outcome, setOutcome, changesTick, didRestore };
}

export type HistoryView = ReturnType<typeof useHistoryView>;

export function describeOutcome(outcome: RestoreOutcome): string {
  const what = outcome.path ? `Restored ${outcome.path}` : 'Restored the project';
  return `${what}: ${outcome.written} written, ${outcome.deleted} deleted. A safety snapshot of the previous state was saved.`;
}
