'use client';
// The log of the current branch (subject, author, relative date); a click on a commit shows the
// files it changed, a click on one of those opens its diff in the editor area.
import { useEffect, useState } from 'react';
import type { GitCommitDetailDto, GitCommitDto } from '@/server/contracts';
import { relativeTime } from '../../dashboard/relative-time';
import { absoluteTime } from '../history/format';
import { errorText } from '../history/snapshots-api';
import { gitLog, gitShowCommit } from './git-api';
import { letterFor, type GitDiffTarget } from './git-view';

export function GitHistory({
  projectId,
  head,
  openKey,
  onOpen,
}: {
  projectId: string;
  /** HEAD's commit: the log is read again when it moves (commit, switch, merge). */
  head: string | null;
  openKey: string | null;
  onOpen(target: GitDiffTarget): void;
}) {
  const [log, setLog] = useState<GitCommitDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<GitCommitDetailDto | null>(null);

  useEffect(() => {
    if (!head) {
      setLog([]);
      return;
    }
    let cancelled = false;
    gitLog(projectId, 100).then(
      (commits) => {
        if (cancelled) return;
        setLog(commits);
        setError(null);
      },
      (cause: unknown) => !cancelled && setError(errorText(cause, 'Could not read the log')),
    );
    return () => {
      cancelled = true;
    };
  }, [projectId, head]);

  useEffect(() => {
    setDetail(null);
    if (!selected) return;
    let cancelled = false;
    gitShowCommit(projectId, selected).then(
      (commit) => !cancelled && setDetail(commit),
      (cause: unknown) => !cancelled && setError(errorText(cause, 'Could not read the commit')),
    );
    return () => {
      cancelled = true;
    };
  }, [projectId, selected]);

  if (error)
    return (
      <p role="alert" className="px-3 py-1 text-xs text-danger">
        {error}
      </p>
    );
  if (log === null) return <p className="px-3 py-1 text-xs text-muted">Loading the log…</p>;
  if (log.length === 0) return <p className="px-3 py-1 text-xs text-muted">No commits yet.</p>;
  return (
    <ul data-testid="git-log" className="text-xs">
      {log.map((commit) => (
        <li key={commit.hash} data-testid="git-log-commit" data-hash={commit.hash}>
          <button
            type="button"
            className={`flex w-full flex-col px-3 py-1 text-left ${selected === commit.hash ? 'bg-accent/20' : 'hover:bg-panel-2'}`}
            aria-expanded={selected === commit.hash}
            title={commit.message}
            onClick={() => setSelected((current) => (current === commit.hash ? null : commit.hash))}
          >
            <span className="truncate text-gray-100" data-testid="git-commit-subject">
              {commit.subject}
            </span>
            <span className="truncate text-[11px] text-muted">
              {commit.author} · <span title={absoluteTime(commit.date)}>{relativeTime(commit.date)}</span> ·{' '}
              <span className="font-mono">{commit.hash.slice(0, 7)}</span>
            </span>
          </button>
          {selected === commit.hash ? (
            <ul className="pb-1" data-testid="git-commit-files">
              {detail?.hash !== commit.hash ? <li className="pl-6 text-muted">Loading files…</li> : null}
              {detail?.hash === commit.hash
                ? detail.files.map((file) => {
                    const key = `commit:${commit.hash}:${file.path}`;
                    return (
                      <li key={file.path}>
                        <button
                          type="button"
                          className={`flex h-6 w-full items-center gap-1 pl-6 pr-2 text-left ${openKey === key ? 'bg-accent/20' : 'hover:bg-panel-2'}`}
                          data-testid="git-commit-file"
                          data-path={file.path}
                          onClick={() => onOpen({ kind: 'commit', hash: commit.hash, subject: commit.subject, file })}
                        >
                          <span className="min-w-0 flex-1 truncate text-gray-100">{file.path}</span>
                          <span className="font-mono text-muted">{letterFor(file.kind)}</span>
                        </button>
                      </li>
                    );
                  })
                : null}
              {detail?.hash === commit.hash && detail.truncated ? (
                <li className="pl-6 text-muted">More files changed than are shown.</li>
              ) : null}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
