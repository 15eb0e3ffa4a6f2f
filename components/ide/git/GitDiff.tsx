'use client';
// One file of source control side by side, read-only (index vs working tree, HEAD vs index, a
// commit's file vs its parent).
import { ReadOnlyDiff } from '../editor/ReadOnlyDiff';

const SIDES = { original: 'original', modified: 'modified' };

export function GitDiff({ path, original, modified }: { path: string; original: string; modified: string }) {
  return <ReadOnlyDiff scheme="berth-git" sides={SIDES} path={path} original={original} modified={modified} />;
}
