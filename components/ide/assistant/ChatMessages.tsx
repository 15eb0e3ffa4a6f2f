'use client';
// The conversation: the user's requests (with Edit), the model's text, a card per action, errors,
// and under each finished turn what it changed with "Undo this turn" (and Retry on the last one).
// Keeps to the bottom while new output arrives, unless the user scrolled up to read.
import { createContext, memo, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from '../../ui/Button';
import { AttachmentChip } from './AttachmentChip';
import { lastTurnId, type ChatItem, type ChatState, type TurnView } from './chat-state';
import { ToolCard } from './ToolCard';

export interface ChatActions {
  undo(turnId: string): void;
  retry(turnId: string): void;
  edit(turnId: string, content: string): void;
}

// Whether a turn runs, read only by the buttons it disables: a turn's start and end then re-render
// those buttons, not every row of a long conversation (the first token arrives right after the start).
const BusyContext = createContext(false);

export function ChatMessages({ chat, busy, actions }: { chat: ChatState; busy: boolean; actions: ChatActions }) {
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const element = scroller.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  }, [chat]);
  const last = lastTurnId(chat);

  const rows: ReactNode[] = [];
  chat.items.forEach((item, index) => {
    rows.push(<ChatRow key={item.key} item={item} onEdit={actions.edit} />);
    const next = chat.items[index + 1];
    const turn = item.turnId ? chat.turns[item.turnId] : undefined;
    if (turn && turn.status !== 'running' && next?.turnId !== item.turnId)
      rows.push(<TurnFooter key={`${turn.id}:footer`} turn={turn} isLast={turn.id === last} actions={actions} />);
  });

  return (
    <div
      ref={scroller}
      data-testid="assistant-messages"
      className="min-h-0 flex-1 space-y-2 overflow-y-auto px-2 py-2"
      onScroll={(event) => {
        const element = event.currentTarget;
        pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
      }}
    >
      {rows.length ? (
        <BusyContext.Provider value={busy}>{rows}</BusyContext.Provider>
      ) : (
        <p className="px-1 py-6 text-center text-xs text-muted">
          Ask for a change, e.g. “make me a todo app with a dark theme”. The assistant edits files, runs commands and
          starts the preview; every turn can be undone.
        </p>
      )}
    </div>
  );
}

// Memoised: items keep their identity in the reducer, so a streamed token re-renders one row.
const ChatRow = memo(function ChatRow({ item, onEdit }: { item: ChatItem; onEdit: ChatActions['edit'] }) {
  switch (item.kind) {
    case 'user':
      return <UserRequest item={item} onEdit={onEdit} />;
    case 'text':
      return (
        <div
          data-testid="assistant-text"
          className="whitespace-pre-wrap break-words px-1 text-sm leading-relaxed text-gray-200"
        >
          {item.text}
        </div>
      );
    case 'tool':
      return <ToolCard card={item} />;
    case 'error':
      return (
        <p
          role="alert"
          data-testid="assistant-error"
          className="rounded-md border border-danger/40 bg-danger/10 px-2 py-1.5 text-xs text-danger"
        >
          {item.message}
        </p>
      );
  }
});

function UserRequest({ item, onEdit }: { item: Extract<ChatItem, { kind: 'user' }>; onEdit: ChatActions['edit'] }) {
  const [draft, setDraft] = useState<string | null>(null);
  if (draft !== null && item.turnId)
    return (
      <form
        className="space-y-1"
        onSubmit={(event) => {
          event.preventDefault();
          if (draft.trim() && item.turnId) onEdit(item.turnId, draft.trim());
          setDraft(null);
        }}
      >
        <textarea
          data-testid="assistant-edit-input"
          className="w-full resize-y rounded-md border border-accent bg-panel-2 px-2 py-1.5 text-sm"
          rows={3}
          value={draft}
          autoFocus
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setDraft(null);
          }}
        />
        <div className="flex justify-end gap-1">
          <Button type="button" variant="ghost" className="!px-2 !py-0.5 text-xs" onClick={() => setDraft(null)}>
            Cancel
          </Button>
          <Button type="submit" className="!px-2 !py-0.5 text-xs" data-testid="assistant-edit-send">
            Send
          </Button>
        </div>
      </form>
    );
  return (
    <div data-testid="assistant-request" className="group relative ml-4 rounded-md bg-accent/15 px-2 py-1.5 text-sm">
      <div data-testid="assistant-user-message" className="whitespace-pre-wrap break-words">
        {item.content}
      </div>
      {item.attachments.length ? (
        <div className="mt-1 flex flex-wrap gap-1">
          {item.attachments.map((attachment, index) => (
            <AttachmentChip key={index} attachment={attachment} />
          ))}
        </div>
      ) : null}
      {item.turnId ? <EditButton onClick={() => setDraft(item.content)} /> : null}
    </div>
  );
}

/** Hidden while a turn runs. */
function EditButton({ onClick }: { onClick: () => void }) {
  if (useContext(BusyContext)) return null;
  return (
    <button
      type="button"
      data-testid="assistant-edit"
      className="absolute right-1 top-1 hidden rounded px-1 text-xs text-muted hover:bg-panel-2 hover:text-gray-100 group-hover:block group-focus-within:block"
      onClick={onClick}
    >
      Edit
    </button>
  );
}

/** A turn footer's action, disabled while a turn runs. */
function FooterButton({ testId, onClick, children }: { testId: string; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      data-testid={testId}
      disabled={useContext(BusyContext)}
      className="rounded px-1 text-sky-300 hover:bg-panel-2 disabled:opacity-50"
      onClick={onClick}
    >
      {children}
    </button>
  );
}

const TurnFooter = memo(function TurnFooter({
  turn,
  isLast,
  actions,
}: {
  turn: TurnView;
  isLast: boolean;
  actions: ChatActions;
}) {
  const files = turn.changedFiles.length;
  const undone = Boolean(turn.undoneAt);
  return (
    <div
      data-testid="assistant-turn-footer"
      data-turn-status={turn.status}
      className="flex flex-wrap items-center gap-2 px-1 text-[11px] text-muted"
    >
      {turn.status === 'stopped' ? <span>Stopped.</span> : null}
      <span>{files ? `${files} file${files === 1 ? '' : 's'} changed` : 'No files changed'}</span>
      {undone ? <span data-testid="assistant-turn-undone">· Undone</span> : null}
      {files && !undone ? (
        <FooterButton testId="assistant-undo" onClick={() => actions.undo(turn.id)}>
          Undo this turn
        </FooterButton>
      ) : null}
      {isLast ? (
        <FooterButton testId="assistant-retry" onClick={() => actions.retry(turn.id)}>
          Retry
        </FooterButton>
      ) : null}
    </div>
  );
});
