'use client';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';

/**
 * Two panes with a draggable divider (pointer or arrow keys). `initial` is the first pane's
 * share in percent; sizes are remembered per `storageKey` in localStorage.
 */
export function SplitPane({
  direction,
  initial,
  min = 10,
  max = 90,
  storageKey,
  children,
}: {
  direction: 'horizontal' | 'vertical';
  initial: number;
  min?: number;
  max?: number;
  storageKey: string;
  children: [ReactNode, ReactNode];
}) {
  const container = useRef<HTMLDivElement>(null);
  const [share, setShare] = useState(initial);
  // Read the remembered size after hydration so server and client render the same markup; a new
  // storageKey (a pane that keeps one size per view) starts at its own remembered or initial size.
  useEffect(() => {
    const saved = Number(window.localStorage.getItem(`berth.split.${storageKey}`));
    setShare(saved >= min && saved <= max ? saved : initial);
  }, [storageKey, min, max, initial]);
  const horizontal = direction === 'horizontal';

  const commit = useCallback(
    (value: number) => {
      const clamped = Math.min(max, Math.max(min, value));
      setShare(clamped);
      window.localStorage.setItem(`berth.split.${storageKey}`, String(clamped));
    },
    [min, max, storageKey],
  );

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!event.currentTarget.hasPointerCapture(event.pointerId) || !container.current) return;
    const box = container.current.getBoundingClientRect();
    const position = horizontal ? (event.clientX - box.left) / box.width : (event.clientY - box.top) / box.height;
    commit(position * 100);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 10 : 2;
    if (event.key === (horizontal ? 'ArrowLeft' : 'ArrowUp')) commit(share - step);
    else if (event.key === (horizontal ? 'ArrowRight' : 'ArrowDown')) commit(share + step);
    else return;
    event.preventDefault();
  };

  return (
    <div ref={container} className={`flex h-full w-full min-h-0 min-w-0 ${horizontal ? 'flex-row' : 'flex-col'}`}>
      <div style={{ flexBasis: `${share}%` }} className="min-h-0 min-w-0 shrink-0 grow-0 overflow-hidden">
        {children[0]}
      </div>
      <div
        role="separator"
        aria-orientation={horizontal ? 'vertical' : 'horizontal'}
        aria-valuenow={Math.round(share)}
        aria-valuemin={min}
        aria-valuemax={max}
        tabIndex={0}
        data-testid={`split-${storageKey}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onKeyDown={onKeyDown}
        className={`shrink-0 bg-edge hover:bg-accent focus:bg-accent ${horizontal ? 'w-1 cursor-col-resize' : 'h-1 cursor-row-resize'}`}
      />
      <div className="min-h-0 min-w-0 flex-1 overflow-hidden">{children[1]}</div>
    </div>
  );
}
