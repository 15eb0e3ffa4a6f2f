'use client';
// The commit message (Ctrl+Enter commits), Amend (replace the last commit) and the Commit button.
// The message is kept until a commit goes through.
import { useState, type RefObject } from 'react';
import type { GitStatusDto } from '@/server/contracts';
import { commitReady } from './git-view';

export function CommitBox({
  status,
  busy,
  messageRef,
  onCommit,
}: {
  status: GitStatusDto;
  busy: boolean;
  messageRef: RefObject<HTMLTextAreaElement | null>;
  /** Answers whether the commit went through. */
  onCommit(message: string, amend: boolean): Promise<boolean>;
}) {
  const [message, setMessage] = useState('');
  const [amend, setAmend] = useState(false);
  const ready = commitReady(message, status.staged.length, amend);

  async function commit() {
    if (!ready || busy) return;
    if (await onCommit(message, amend)) {
      setMessage('');
      setAmend(false);
    }
  }

  return (
    <>
      <textarea
        ref={messageRef}
        className="mt-2 block h-16 w-full resize-y rounded border border-edge bg-surface px-2 py-1 text-xs text-gray-100 outline-none placeholder:text-muted focus:border-accent"
        placeholder={`Message (Ctrl+Enter to commit on ${status.branch ?? 'HEAD'})`}
        aria-label="Commit message"
        value={message}
        onChange={(event) => setMessage(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void commit();
          }
        }}
        data-testid="git-message"
      />
      <div className="mt-1 flex items-center gap-2">
        <label className="flex items-center gap-1 text-xs text-muted" title="Replace the last commit">
          <input
            type="checkbox"
            checked={amend}
            disabled={!status.head}
            onChange={(event) => setAmend(event.target.checked)}
            data-testid="git-amend"
          />
          Amend
        </label>
        <button
          type="button"
          className="ml-auto rounded bg-accent px-3 py-1 text-xs font-medium text-white hover:bg-accent/90 disabled:opacity-40"
          disabled={!ready || busy}
          title={
            ready
              ? 'Commit the staged changes (Ctrl+Enter)'
              : status.staged.length === 0 && !amend
                ? 'Stage changes first'
                : 'Write a commit message'
          }
          onClick={() => void commit()}
          data-testid="git-commit"
        >
          {amend ? 'Amend' : 'Commit'}
        </button>
      </div>
    </>
  );
}
