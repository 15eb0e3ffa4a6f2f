'use client';
// The inline name field for new files/folders and renames: Enter commits, Escape cancels.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { invalidName } from './paths';

export function TreeInput({
  initial = '',
  depth,
  icon,
  onCommit,
  onCancel,
}: {
  initial?: string;
  depth: number;
  icon: ReactNode;
  onCommit(name: string): void;
  onCancel(): void;
}) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const done = useRef(false);
  const ref = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const input = ref.current;
    if (!input) return;
    input.focus();
    // Select the name without its extension, as editors do.
    const dot = initial.lastIndexOf('.');
    input.setSelectionRange(0, dot > 0 ? dot : initial.length);
  }, [initial]);

  const commit = () => {
    if (done.current) return;
    const problem = invalidName(value);
    if (problem || value.includes('/')) {
      if (!value.trim()) {
        done.current = true;
        onCancel();
      } else setError(problem ?? 'Names must not contain "/"');
      return;
    }
    done.current = true;
    if (value === initial) onCancel();
    else onCommit(value);
  };

  return (
    <div className="py-0.5 pr-2" style={{ paddingLeft: 8 + depth * 12 }}>
      <div className="flex items-center gap-1.5">
        <span aria-hidden className="w-3" />
        {icon}
        <input
          ref={ref}
          value={value}
          aria-label="Name"
          aria-invalid={Boolean(error)}
          data-testid="file-tree-input"
          className="min-w-0 flex-1 rounded border border-accent bg-surface px-1 py-0.5 text-xs text-gray-100 outline-none"
          onChange={(event) => {
            setValue(event.target.value);
            setError(null);
          }}
          onBlur={commit}
          onKeyDown={(event) => {
            event.stopPropagation();
            if (event.key === 'Enter') commit();
            if (event.key === 'Escape') {
              done.current = true;
              onCancel();
            }
          }}
        />
      </div>
      {error ? <p className="ml-8 mt-0.5 text-[11px] text-danger">{error}</p> : null}
    </div>
  );
}
