'use client';
// Where a request is typed: Enter sends, Shift+Enter starts a new line; while a turn runs the
// button is Stop (Escape stops too). Keeps the draft when sending is refused.
import { forwardRef, useState } from 'react';

export interface ComposerProps {
  running: boolean;
  /** Sending is not possible (no model, a turn runs elsewhere in the project). */
  disabled: boolean;
  placeholder: string;
  onSend(content: string): Promise<boolean>;
  onStop(): void;
}

export const Composer = forwardRef<HTMLTextAreaElement, ComposerProps>(function Composer(
  { running, disabled, placeholder, onSend, onStop },
  ref,
) {
  const [draft, setDraft] = useState('');
  const submit = async () => {
    const content = draft.trim();
    if (!content || running || disabled) return;
    setDraft('');
    if (!(await onSend(content))) setDraft((current) => current || content);
  };
  return (
    <form
      className="shrink-0 border-t border-edge p-2"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="flex items-end gap-2 rounded-md border border-edge bg-panel-2 focus-within:border-accent">
        <textarea
          ref={ref}
          data-testid="assistant-input"
          aria-label="Ask the assistant"
          rows={2}
          value={draft}
          placeholder={placeholder}
          className="max-h-48 min-h-[2.5rem] flex-1 resize-none bg-transparent px-2 py-1.5 text-sm outline-none placeholder:text-muted"
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              void submit();
            } else if (event.key === 'Escape' && running) {
              event.preventDefault();
              onStop();
            }
          }}
        />
        {running ? (
          <button
            type="button"
            data-testid="assistant-stop"
            className="m-1 rounded bg-danger px-2 py-1 text-xs font-medium text-white hover:bg-danger/90"
            onClick={onStop}
          >
            Stop
          </button>
        ) : (
          <button
            type="submit"
            data-testid="assistant-send"
            disabled={disabled || !draft.trim()}
            className="m-1 rounded bg-accent px-2 py-1 text-xs font-medium text-white hover:bg-accent/90 disabled:opacity-40"
          >
            Send
          </button>
        )}
      </div>
      <p className="mt-1 text-[10px] text-muted">Enter to send · Shift+Enter for a new line · Ctrl+I to hide</p>
    </form>
  );
});
