'use client';
// What to deploy: a snapshot taken now (the default) or one of the project's snapshots.
import { useEffect, useId, useState } from 'react';
import type { SnapshotDto } from '@/server/contracts';
import { absoluteTime, snapshotTitle } from '../ide/history/format';
import { listSnapshots } from '../ide/history/snapshots-api';

export function SnapshotPicker({
  projectId,
  value,
  onChange,
  disabled,
}: {
  projectId: string;
  value: string;
  onChange(snapshotId: string): void;
  disabled?: boolean;
}) {
  const id = useId();
  const [snapshots, setSnapshots] = useState<SnapshotDto[] | null>(null);
  useEffect(() => {
    let current = true;
    listSnapshots(projectId).then(
      (list) => current && setSnapshots(list),
      () => current && setSnapshots([]),
    );
    return () => {
      current = false;
    };
  }, [projectId]);
  return (
    <label htmlFor={id} className="flex min-w-0 flex-1 flex-col gap-1 text-xs text-muted">
      What to deploy
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        data-testid="deploy-snapshot"
        className="rounded-md border border-edge bg-surface px-2 py-1.5 text-sm text-gray-100 focus:border-accent focus:outline-none"
      >
        <option value="">The project as it is now (a new snapshot)</option>
        {(snapshots ?? []).map((snapshot) => (
          <option key={snapshot.id} value={snapshot.id}>
            {snapshotTitle(snapshot)} — {absoluteTime(snapshot.createdAt)}
          </option>
        ))}
      </select>
    </label>
  );
}
