'use client';
// The tree's right-click menu; closes on Escape, a click elsewhere, or scrolling.
import { useEffect, useRef } from 'react';
import type { FileEntry } from '@/server/contracts';

export type MenuAction = 'new-file' | 'new-folder' | 'rename' | 'delete' | 'download' | 'copy-path' | 'upload';

export function FileContextMenu({
  x,
  y,
  entry,
  onAction,
  onClose,
}: {
  x: number;
  y: number;
  entry: FileEntry | null;
  onAction(action: MenuAction): void;
  onClose(): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const away = (event: Event) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    const key = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('mousedown', away, true);
    window.addEventListener('keydown', key);
    window.addEventListener('blur', onClose);
    ref.current?.querySelector('button')?.focus();
    return () => {
      window.removeEventListener('mousedown', away, true);
      window.removeEventListener('keydown', key);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);

  const items: [MenuAction, string][] = [
    ['new-file', 'New file'],
    ['new-folder', 'New folder'],
    ['upload', 'Upload files…'],
  ];
  if (entry) {
    items.push(['rename', 'Rename  (F2)'], ['delete', 'Delete']);
    if (entry.kind !== 'dir') items.push(['download', 'Download']);
    items.push(['copy-path', 'Copy path']);
  }
  // Keep the menu on screen.
  const left = Math.min(x, window.innerWidth - 190);
  const top = Math.min(y, window.innerHeight - items.length * 28 - 12);

  return (
    <div
      ref={ref}
      role="menu"
      data-testid="file-context-menu"
      style={{ left, top }}
      className="fixed z-50 w-44 rounded-md border border-edge bg-panel py-1 text-xs shadow-xl"
    >
      {items.map(([action, label]) => (
        <button
          key={action}
          role="menuitem"
          data-testid={`menu-${action}`}
          onClick={() => {
            onClose();
            onAction(action);
          }}
          className={`block w-full px-3 py-1.5 text-left hover:bg-accent/25 focus:bg-accent/25 focus:outline-none ${action === 'delete' ? 'text-danger' : 'text-gray-200'}`}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
