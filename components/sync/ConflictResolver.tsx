'use client';
// "Ask": the conflicts a sync left for a person, each with a side-by-side diff and a choice
// (Keep local / Take remote / Merge — "Keep both" for a binary); "Apply choices" syncs again
// with those answers. Conflicts left without a choice stay listed for later. Each answer names
// the two versions it was made on, so a newer change on either side is listed again, not taken.
import { useState } from 'react';
import type { ConflictChoice, ConflictResolution, SyncConflictDto } from '@/server/contracts';
import { Button } from '../ui/Button';
import { ConflictDiff } from './ConflictDiff';
import { choiceLabel } from './sync-options';

const conversationChoices: ConflictChoice[] = ['local', 'remote'];
const fileChoices: ConflictChoice[] = ['local', 'remote', 'merge'];

export function ConflictResolver({
  projectId,
  conflicts,
  remoteName,
  busy,
  onApply,
}: {
  projectId: string;
  conflicts: SyncConflictDto[];
  remoteName: string;
  busy: boolean;
  onApply(resolutions: Record<string, ConflictResolution>): void;
}) {
  const [choices, setChoices] = useState<Record<string, ConflictChoice>>({});
  const [selected, setSelected] = useState(conflicts[0]?.path ?? null);
  const current = conflicts.find((conflict) => conflict.path === selected) ?? conflicts[0] ?? null;
  const chosen = Object.keys(choices).filter((path) => conflicts.some((conflict) => conflict.path === path)).length;

  const choose = (path: string, choice: ConflictChoice) => setChoices((all) => ({ ...all, [path]: choice }));
  const chooseAll = (choice: 'local' | 'remote') =>
    setChoices(Object.fromEntries(conflicts.map((conflict) => [conflict.path, choice])));

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3" data-testid="conflict-resolver">
      <div className="flex items-center gap-2 text-sm">
        <p className="flex-1 text-gray-300">Changed on both sides since the last sync. Choose per file, then apply.</p>
        <Button variant="ghost" className="px-2 text-xs" onClick={() => chooseAll('local')}>
          All local
        </Button>
        <Button variant="ghost" className="px-2 text-xs" onClick={() => chooseAll('remote')}>
          All remote
        </Button>
      </div>
      <div className="flex min-h-0 flex-1 gap-3">
        <ul className="w-72 shrink-0 overflow-auto rounded-md border border-edge" data-testid="conflict-list">
          {conflicts.map((conflict) => {
            const options = conflict.kind === 'conversation' ? conversationChoices : fileChoices;
            const active = conflict.path === current?.path;
            return (
              <li
                key={`${conflict.kind}:${conflict.path}`}
                data-testid="conflict-item"
                data-path={conflict.path}
                data-choice={choices[conflict.path] ?? ''}
                className={`border-b border-edge px-3 py-2 last:border-b-0 ${active ? 'bg-panel-2' : ''}`}
              >
                <button
                  type="button"
                  className="block w-full truncate text-left font-mono text-xs hover:text-accent"
                  onClick={() => setSelected(conflict.path)}
                  title={conflict.path}
                  aria-current={active}
                  data-testid="conflict-select"
                >
                  {conflict.kind === 'conversation' ? `💬 ${conflict.title ?? conflict.path}` : conflict.path}
                </button>
                <div
                  role="radiogroup"
                  aria-label={`Choice for ${conflict.path}`}
                  className="mt-1.5 flex flex-wrap gap-1"
                >
                  {options.map((choice) => (
                    <label
                      key={choice}
                      className={`cursor-pointer rounded border px-1.5 py-0.5 text-xs has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent ${choices[conflict.path] === choice ? 'border-accent bg-accent/20 text-gray-100' : 'border-edge text-muted hover:text-gray-100'}`}
                    >
                      <input
                        type="radio"
                        className="sr-only"
                        name={`choice-${conflict.path}`}
                        checked={choices[conflict.path] === choice}
                        onChange={() => {
                          choose(conflict.path, choice);
                          setSelected(conflict.path);
                        }}
                        data-testid={`conflict-choice-${choice}`}
                      />
                      {choiceLabel(choice, conflict.text)}
                    </label>
                  ))}
                </div>
              </li>
            );
          })}
        </ul>
        <div className="min-w-0 flex-1 overflow-hidden rounded-md border border-edge">
          {current ? (
            <ConflictDiff key={current.path} projectId={projectId} conflict={current} remoteName={remoteName} />
          ) : null}
        </div>
      </div>
      <div className="flex items-center justify-end gap-3 text-sm">
        <span className="text-muted" data-testid="conflict-chosen">
          {chosen} of {conflicts.length} chosen
        </span>
        <Button
          disabled={busy || chosen === 0}
          onClick={() =>
            onApply(
              Object.fromEntries(
                conflicts.flatMap((c) => {
                  const choice = choices[c.path];
                  return choice ? [[c.path, { choice, local: c.local, remote: c.remote }]] : [];
                }),
              ),
            )
          }
          data-testid="conflict-apply"
        >
          {busy ? 'Applying…' : 'Apply choices'}
        </Button>
      </div>
    </div>
  );
}
