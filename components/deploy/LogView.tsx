'use client';
// A log in monospace that sticks to its bottom while new text arrives, unless the reader scrolled
// up (then a "Jump to the end" button brings it back), like a terminal's scrollback.
import { useLayoutEffect, useRef, useState } from 'react';

const STICK_SLACK_PX = 24;

export function LogView({
  text,
  empty,
  testId,
  label,
  className = 'h-72',
}: {
  text: string;
  /** Shown while there is no text yet. */
  empty: string;
  testId: string;
  label: string;
  className?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [stuck, setStuck] = useState(true);

  useLayoutEffect(() => {
    const element = box.current;
    if (element && stuck) element.scrollTop = element.scrollHeight;
  }, [text, stuck]);

  const onScroll = () => {
    const element = box.current;
    if (!element) return;
    setStuck(element.scrollHeight - element.scrollTop - element.clientHeight < STICK_SLACK_PX);
  };

  return (
    <div className={`relative min-h-0 ${className}`}>
      <div
        ref={box}
        onScroll={onScroll}
        tabIndex={0}
        role="log"
        aria-label={label}
        aria-live="off"
        data-testid={testId}
        className="h-full overflow-auto rounded-md border border-edge bg-surface p-2 font-mono text-xs leading-5 text-gray-300"
      >
        {text ? <pre className="whitespace-pre-wrap break-all">{text}</pre> : <p className="text-muted">{empty}</p>}
      </div>
      {stuck ? null : (
        <button
          type="button"
          data-testid={`${testId}-jump`}
          onClick={() => setStuck(true)}
          className="absolute bottom-2 right-4 rounded-md border border-edge bg-panel-2 px-2 py-1 text-xs text-gray-100 shadow hover:bg-edge"
        >
          Jump to the end ↓
        </button>
      )}
    </div>
  );
}
