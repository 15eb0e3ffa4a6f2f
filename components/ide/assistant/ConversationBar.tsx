'use client';
// The top of the Assistant panel: which conversation (a picker), New, Import (a conversation's
// JSON file), Rename, Export, Duplicate (here or into another project) and Delete, and which model answers.
import { useRef, useState } from 'react';
import type { AiModelListDto, ConversationSummaryDto } from '@/server/contracts';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { conversationExportUrl } from './assistant-api';
import { DuplicateConversationDialog } from './DuplicateConversationDialog';

export interface ConversationBarProps {
  projectId: string;
  conversations: ConversationSummaryDto[] | null;
  openId: string | null;
  models: AiModelListDto | null;
  model: string | null;
  busy: boolean;
  onOpen(id: string): void;
  onNew(): void;
  /** A conversation file the user picked (what Export downloads). */
  onImport(file: File): void;
  onRename(title: string): void;
  onDelete(): void;
  onModel(id: string): void;
}

const iconButton =
  'inline-flex items-center rounded px-1.5 py-1 text-xs text-muted hover:bg-panel-2 hover:text-gray-100 disabled:opacity-40';

export function ConversationBar(props: ConversationBarProps) {
  const { conversations, openId, models, model } = props;
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [duplicating, setDuplicating] = useState(false);
  const importInput = useRef<HTMLInputElement>(null);
  const current = conversations?.find((c) => c.id === openId) ?? null;

  return (
    <div className="shrink-0 space-y-1 border-b border-edge px-2 py-1.5">
      {renaming !== null ? (
        <form
          className="flex gap-1"
          onSubmit={(event) => {
            event.preventDefault();
            if (renaming.trim()) props.onRename(renaming.trim());
            setRenaming(null);
          }}
        >
          <input
            data-testid="assistant-rename-input"
            aria-label="Conversation title"
            className="min-w-0 flex-1 rounded border border-accent bg-panel-2 px-1.5 py-0.5 text-xs"
            value={renaming}
            maxLength={120}
            autoFocus
            onChange={(event) => setRenaming(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setRenaming(null);
            }}
          />
          <button type="submit" className={iconButton}>
            Save
          </button>
        </form>
      ) : (
        <div className="flex items-center gap-1">
          <select
            data-testid="assistant-conversations"
            aria-label="Conversation"
            className="min-w-0 flex-1 truncate rounded border border-edge bg-panel-2 px-1 py-0.5 text-xs"
            value={openId ?? ''}
            onChange={(event) => props.onOpen(event.target.value)}
            disabled={!conversations?.length}
          >
            {!conversations?.length ? <option value="">No conversations yet</option> : null}
            {conversations?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
          <button
            type="button"
            className={iconButton}
            title="New conversation"
            data-testid="assistant-new"
            onClick={props.onNew}
          >
            New
          </button>
          <button
            type="button"
            className={iconButton}
            title="Import a conversation (JSON)"
            data-testid="assistant-import"
            onClick={() => importInput.current?.click()}
          >
            Import
          </button>
          <input
            ref={importInput}
            type="file"
            accept=".json,application/json"
            className="hidden"
            data-testid="assistant-import-input"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = ''; // the same file can be picked again
              if (file) props.onImport(file);
            }}
          />
          <button
            type="button"
            className={iconButton}
            title="Rename"
            aria-label="Rename conversation"
            data-testid="assistant-rename"
            disabled={!current}
            onClick={() => setRenaming(current?.title ?? '')}
          >
            <svg
              viewBox="0 0 16 16"
              className="h-3.5 w-3.5"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.3"
              aria-hidden
            >
              <path d="M10.5 2.8l2.7 2.7-7.4 7.4H3.1v-2.7z" />
            </svg>
          </button>
          {current ? (
            <a
              className={iconButton}
              title="Export this conversation (JSON)"
              aria-label="Export conversation"
              data-testid="assistant-export"
              href={conversationExportUrl(props.projectId, current.id)}
              download
            >
              <svg
                viewBox="0 0 16 16"
                className="h-3.5 w-3.5"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.4"
                aria-hidden
              >
                <path d="M8 2.5v7.5M4.8 7 8 10.2 11.2 7M3 13h10" />
              </svg>
            </a>
          ) : null}
          <button
            type="button"
            className={iconButton}
            title="Duplicate (here or into another project)"
            aria-label="Duplicate conversation"
            data-testid="assistant-duplicate"
            disabled={!current}
            onClick={() => setDuplicating(true)}
          >
            <svg
              viewBox="0 0 16 16"
              className="h-3.5 w-3.5"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.3"
              aria-hidden
            >
              <path d="M5.5 5.5h7v7h-7zM3.5 10.5v-7h7" />
            </svg>
          </button>
          <button
            type="button"
            className={iconButton}
            title="Delete conversation"
            aria-label="Delete conversation"
            data-testid="assistant-delete"
            disabled={!current || props.busy}
            onClick={() => setConfirmDelete(true)}
          >
            <svg
              viewBox="0 0 16 16"
              className="h-3.5 w-3.5"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.3"
              aria-hidden
            >
              <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5M7 7v4M9 7v4" />
            </svg>
          </button>
        </div>
      )}
      {models?.models.length ? (
        <select
          data-testid="assistant-model"
          aria-label="Model"
          className="w-full truncate rounded border border-edge bg-panel-2 px-1 py-0.5 text-xs text-muted"
          value={model ?? ''}
          onChange={(event) => props.onModel(event.target.value)}
        >
          {models.models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
              {m.tools ? '' : ' (text protocol)'}
            </option>
          ))}
        </select>
      ) : null}
      {duplicating && current ? (
        <DuplicateConversationDialog
          projectId={props.projectId}
          conversation={current}
          onClose={() => setDuplicating(false)}
          onOpenCopy={props.onOpen}
        />
      ) : null}
      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title="Delete this conversation?"
        testId="assistant-delete-dialog"
      >
        <p className="text-sm">
          <strong>{current?.title}</strong> and its messages are removed. Files the assistant changed stay as they are.
        </p>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => setConfirmDelete(false)}>
            Cancel
          </Button>
          <Button
            type="button"
            variant="danger"
            data-testid="assistant-delete-confirm"
            onClick={() => {
              setConfirmDelete(false);
              props.onDelete();
            }}
          >
            Delete
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
