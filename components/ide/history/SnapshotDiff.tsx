'use client';
// One file: the snapshot's version (left) against the workspace now (right), read-only.
import { ReadOnlyDiff } from '../editor/ReadOnlyDiff';

const SIDES = { original: 'before', modified: 'now' };

export function SnapshotDiff({ path, before, after }: { path: string; before: string; after: string }) {
  return <ReadOnlyDiff scheme="berth-snapshot" sides={SIDES} path={path} original={before} modified={after} />;
}
