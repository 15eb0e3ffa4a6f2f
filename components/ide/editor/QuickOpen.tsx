'use client';
// Ctrl/Cmd+P: open a file by a fuzzy name. Searches the loaded listings at once and lists
// more folders in the background (heavy ones such as node_modules are skipped).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../files/external-store';
import type { FileTreeStore } from '../files/file-tree-store';
import { FileIcon } from '../files/file-icons';
import { basename } from '../files/paths';
import { fuzzyFilter } from './fuzzy';

export function QuickOpen({
  tree,
  onOpen,
  onClose,
}: {
  tree: FileTreeStore;
  onOpen(path: string): void;
  onClose(): void;
}) {
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const [crawling, setCrawling] = useState(true);
  const state = useStore(tree);
  const input = useRef<HTMLInputElement>(null);
  const files = useMemo(() => {
    void state.listings;
    return tree.loadedFiles();
  }, [tree, state.listings]);
  const matches = useMemo(() => fuzzyFilter(query, files), [query, files]);

  useEffect(() => {
    input.current?.focus();
    let active = true;
    void tree.crawl().finally(() => active && setCrawling(false));
    return () => {
      active = false;
    };
  }, [tree]);
  useEffect(() => setSelected(0), [query]);

  const choose = (path: string | undefined) => {
    if (!path) return;
    onOpen(path);
    onClose();
  };

  return (
    <div className="fixed inset-0 z-50 flex justify-center bg-black/40 pt-[12vh]" onMouseDown={onClose}>
      <div
        role="dialog"
        aria-label="Quick open"
        data-testid="quick-open"
        data-status={crawling ? 'searching' : 'ready'}
        className="flex h-fit max-h-[60vh] w-[min(36rem,92vw)] flex-col overflow-hidden rounded-lg border border-edge bg-panel shadow-2xl"
        onMouseDown={(event) => event.stopPropagation()}
      >
        <input
          ref={input}
          value={query}
          placeholder="Go to file…"
          aria-label="File name"
          data-testid="quick-open-input"
          className="border-b border-edge bg-surface px-3 py-2 text-sm text-gray-100 outline-none placeholder:text-muted"
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') onClose();
            else if (event.key === 'ArrowDown') setSelected((value) => Math.min(value + 1, matches.length - 1));
            else if (event.key === 'ArrowUp') setSelected((value) => Math.max(value - 1, 0));
            else if (event.key === 'Enter') choose(matches[selected]?.path);
            else return;
            event.preventDefault();
          }}
        />
        <ul className="min-h-0 overflow-y-auto py-1" role="listbox">
          {matches.map((match, index) => (
            <li
              key={match.path}
              role="option"
              aria-selected={index === selected}
              data-testid="quick-open-item"
              data-path={match.path}
              onMouseEnter={() => setSelected(index)}
              onClick={() => choose(match.path)}
              className={`flex cursor-pointer items-center gap-2 px-3 py-1 text-sm ${index === selected ? 'bg-accent/25 text-gray-100' : 'text-gray-300'}`}
            >
              <FileIcon entry={{ name: basename(match.path), kind: 'file' }} />
              <span className="truncate">{basename(match.path)}</span>
              <span className="truncate text-xs text-muted">{match.path}</span>
            </li>
          ))}
          {matches.length === 0 ? (
            <li className="px-3 py-2 text-sm text-muted">{crawling ? 'Searching…' : 'No matching files'}</li>
          ) : null}
        </ul>
      </div>
    </div>
  );
}
