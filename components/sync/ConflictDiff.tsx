'use client';
// One conflict side by side: this Berth's version (left) against the remote's (right), read by
// their content hashes through the link. Text files only; a deleted side shows empty.
import { useEffect, useState } from 'react';
import type { SyncConflictDto } from '@/server/contracts';
import { ReadOnlyDiff } from '../ide/editor/ReadOnlyDiff';
import { errorText, readConflictSide } from './sync-api';

const SIDES = { original: 'local', modified: 'remote' };

type Loaded =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; local: string; remote: string };

export function ConflictDiff({
  projectId,
  conflict,
  remoteName,
}: {
  projectId: string;
  conflict: SyncConflictDto;
  remoteName: string;
}) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  useEffect(() => {
    if (!conflict.text) return;
    let live = true;
    setLoaded({ status: 'loading' });
    const read = (side: 'local' | 'remote', hash: string | null) =>
      hash ? readConflictSide(projectId, side, hash) : Promise.resolve('');
    Promise.all([read('local', conflict.local), read('remote', conflict.remote)]).then(
      ([local, remote]) => live && setLoaded({ status: 'ready', local, remote }),
      (caught: unknown) => live && setLoaded({ status: 'error', message: errorText(caught) }),
    );
    return () => {
      live = false;
    };
  }, [projectId, conflict.text, conflict.local, conflict.remote]);

  if (!conflict.text) {
    return (
      <div
        className="flex h-full items-center justify-center p-6 text-center text-sm text-muted"
        data-testid="conflict-diff"
        data-status="no-text"
      >
        {conflict.kind === 'conversation'
          ? `The conversation “${conflict.title ?? conflict.path}” changed on both sides.`
          : 'A binary file changed on both sides: no side-by-side view. “Keep both” keeps this side’s and adds the remote’s beside it.'}
      </div>
    );
  }
  return (
    <div
      className="flex h-full flex-col"
      data-testid="conflict-diff"
      data-status={loaded.status}
      data-path={conflict.path}
    >
      <div className="grid shrink-0 grid-cols-2 border-b border-edge text-xs text-muted">
        <span className="truncate px-3 py-1">This Berth{conflict.local ? '' : ' (deleted)'}</span>
        <span className="truncate px-3 py-1">
          {remoteName}
          {conflict.remote ? '' : ' (deleted)'}
        </span>
      </div>
      <div className="min-h-0 flex-1">
        {loaded.status === 'loading' ? <p className="p-4 text-sm text-muted">Loading both versions…</p> : null}
        {loaded.status === 'error' ? (
          <p role="alert" className="p-4 text-sm text-danger">
            Could not read both versions: {loaded.message}
          </p>
        ) : null}
        {loaded.status === 'ready' ? (
          <ReadOnlyDiff
            scheme="berth-sync"
            sides={SIDES}
            path={conflict.path}
            original={loaded.local}
            modified={loaded.remote}
          />
        ) : null}
      </div>
    </div>
  );
}
