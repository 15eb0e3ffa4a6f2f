'use client';
// The Assistant panel (issue 11): a chat that builds the project. The conversation picker and the
// model on top, the chat, and the composer; with no model configured it says what to set. When
// the model starts the dev server, the preview pane is told to show that port.
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { AiModelListDto, MessageAttachment } from '@/server/contracts';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import type { WorkbenchSocket } from '../workbench-socket';
import { AttachmentChip } from './AttachmentChip';
import { ChatMessages, type ChatActions } from './ChatMessages';
import type { ChatState } from './chat-state';
import { Composer } from './Composer';
import { ConversationBar } from './ConversationBar';
import { startedPort } from './tool-card-text';
import { useAssistant } from './use-assistant';

export interface AssistantPanelProps {
  socket: WorkbenchSocket | null;
  projectId: string;
  epoch: number;
  /** The composer, so Ctrl+I can focus it. */
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** The model started the dev server on this port: show it in the preview. */
  onDevServer(port: number): void;
  /** "Ask the Assistant" from the editor: attach this to the next request (seq tells a repeat apart). */
  ask: { attachment: MessageAttachment; seq: number } | null;
  /** The file open in the editor, for the paperclip. */
  activeFile(): string | null;
}

export function AssistantPanel({
  socket,
  projectId,
  epoch,
  inputRef,
  onDevServer,
  ask,
  activeFile,
}: AssistantPanelProps) {
  const assistant = useAssistant(socket, projectId, epoch);
  const { chat, models, attach } = assistant;
  useEffect(() => {
    if (ask) attach(ask.attachment);
  }, [ask, attach]);
  const [rewinding, setRewinding] = useState<{ turnId: string; content: string } | null>(null);
  useDevServerPorts(chat, onDevServer);

  const { undo, resend } = assistant;
  // Stable, so a streamed token re-renders only the row it lands in (ChatMessages' rows are memoised).
  const actions = useMemo<ChatActions>(
    () => ({
      undo: (turnId) => void undo(turnId),
      retry: (turnId) => void resend(turnId),
      edit: (turnId, content) => setRewinding({ turnId, content }),
    }),
    [undo, resend],
  );
  const noModel = models !== null && models.models.length === 0;
  return (
    <div className="flex h-full flex-col" data-testid="assistant-panel">
      <ConversationBar
        projectId={projectId}
        conversations={assistant.conversations}
        openId={assistant.openId}
        models={models}
        model={assistant.model}
        busy={assistant.running}
        onOpen={assistant.open}
        onNew={() => void assistant.newConversation()}
        onImport={(file) => void assistant.importFile(file)}
        onRename={(title) => void assistant.rename(title)}
        onDelete={() => void assistant.remove()}
        onModel={assistant.setModel}
      />
      {noModel ? <ModelSetup models={models} /> : null}
      {chat ? (
        <ChatMessages chat={chat} busy={assistant.running} actions={actions} />
      ) : (
        <div className="min-h-0 flex-1" data-testid="assistant-messages" />
      )}
      {assistant.notice ? (
        <div
          role={assistant.notice.tone === 'error' ? 'alert' : 'status'}
          data-testid="assistant-notice"
          className={`mx-2 mb-1 flex items-start gap-2 rounded-md border px-2 py-1.5 text-xs ${assistant.notice.tone === 'error' ? 'border-danger/40 bg-danger/10 text-danger' : 'border-edge bg-panel-2 text-gray-200'}`}
        >
          <span className="flex-1">{assistant.notice.text}</span>
          {assistant.notice.action ? (
            <button
              type="button"
              data-testid="assistant-notice-action"
              className="shrink-0 rounded border border-current px-1.5"
              onClick={() => {
                const action = assistant.notice?.action;
                assistant.dismissNotice();
                action?.run();
              }}
            >
              {assistant.notice.action.label}
            </button>
          ) : null}
          <button
            type="button"
            aria-label="Dismiss"
            className="text-muted hover:text-gray-100"
            onClick={assistant.dismissNotice}
          >
            ×
          </button>
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-1 px-2" data-testid="assistant-attachments">
        {assistant.attachments.map((attachment, index) => (
          <AttachmentChip
            key={`${attachment.path}:${attachment.selection?.startLine ?? 'file'}`}
            attachment={attachment}
            onRemove={() => assistant.detach(index)}
          />
        ))}
        <button
          type="button"
          data-testid="assistant-attach-file"
          title="Attach the file open in the editor"
          className="rounded px-1 text-[11px] text-muted hover:bg-panel-2 hover:text-gray-100"
          onClick={() => {
            const path = activeFile();
            if (path) attach({ path });
          }}
        >
          + Open file
        </button>
      </div>
      <Composer
        ref={inputRef}
        running={assistant.running}
        disabled={noModel}
        placeholder={noModel ? 'Configure a model to start' : 'Ask for a change…'}
        onSend={assistant.sendWithAttachments}
        onStop={() => void assistant.stop()}
      />
      <Dialog
        open={rewinding !== null}
        onClose={() => setRewinding(null)}
        title="Send the edited request?"
        testId="assistant-rewind-dialog"
      >
        <p className="text-sm">
          The files go back to how they were before this request (the changes of this turn and every later one are
          undone; files you changed since are kept), and the conversation continues from here.
        </p>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => setRewinding(null)}>
            Cancel
          </Button>
          <Button
            type="button"
            data-testid="assistant-rewind-confirm"
            onClick={() => {
              if (rewinding) void assistant.resend(rewinding.turnId, rewinding.content);
              setRewinding(null);
            }}
          >
            Rewind and send
          </Button>
        </div>
      </Dialog>
    </div>
  );
}

/** Tells about each dev server the model starts from now on (not those in the loaded history). */
function useDevServerPorts(chat: ChatState | null, onDevServer: (port: number) => void) {
  const seen = useRef(new Set<string>());
  const loadedFor = useRef<string | null>(null);
  useEffect(() => {
    if (!chat) return;
    const cards = chat.items.flatMap((item) => (item.kind === 'tool' && startedPort(item) ? [item] : []));
    if (loadedFor.current !== chat.conversationId) {
      loadedFor.current = chat.conversationId;
      for (const card of cards) seen.current.add(card.key);
      return;
    }
    for (const card of cards) {
      if (seen.current.has(card.key)) continue;
      seen.current.add(card.key);
      onDevServer(startedPort(card)!);
    }
  }, [chat, onDevServer]);
}

function ModelSetup({ models }: { models: AiModelListDto }) {
  return (
    <div
      data-testid="assistant-setup"
      className="m-2 space-y-1 rounded-md border border-amber-500/40 bg-amber-500/10 p-2 text-xs text-amber-100"
    >
      <p className="font-medium">No model is configured.</p>
      <p className="whitespace-pre-wrap">{models.setup ?? 'Ask your administrator to configure a model provider.'}</p>
      {models.detected?.map((found) => (
        <p key={found.baseUrl} data-testid="assistant-detected">
          Found {found.label} at <code>{found.baseUrl}</code> ({found.models.length} model
          {found.models.length === 1 ? '' : 's'}):{' '}
          <a className="text-sky-300 underline" href="/settings/ai">
            use it
          </a>
          .
        </p>
      ))}
      {models.unreachable?.map((u) => (
        <p key={u.provider} className="text-danger">
          {u.provider}: {u.message}
        </p>
      ))}
      <p>
        Or add your own keys in{' '}
        <a className="text-sky-300 underline" href="/settings/ai">
          Settings → AI models
        </a>
        .
      </p>
    </div>
  );
}
