'use client';
// Workbench-wide editor keys: Ctrl/Cmd+S saves the active tab, Ctrl/Cmd+P opens quick open.
// Captured on window before Monaco or the browser (print, save page) sees them.
import { useEffect } from 'react';
import type { EditorStore } from './editor-store';

export function useEditorKeys(store: EditorStore): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 's' && !event.shiftKey) {
        event.preventDefault();
        const active = store.getState().active;
        if (active) void store.save(active);
      } else if (key === 'p' && !event.shiftKey) {
        event.preventDefault();
        store.setQuickOpen(true);
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [store]);
}
