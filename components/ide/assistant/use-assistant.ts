'use client';
// The Assistant panel's state: the models, the project's conversations, the open one as chat
// items, and the actions (send, stop, undo, retry, edit, new/rename/delete). Turn events come over
// the socket (`ai:*`, the same in every tab); a reconnect reloads what may have been missed.
// Each concern is a hook of its own; this one puts them together for the panel.
import { useState } from 'react';
import type { WorkbenchSocket } from '../workbench-socket';
import type { Notice } from './notice';
import { useConversations } from './use-conversations';
import { useModels } from './use-models';
import { useTurnActions } from './use-turn-actions';
import { useTurnEvents } from './use-turn-events';

export type { Notice } from './notice';

export function useAssistant(socket: WorkbenchSocket | null, projectId: string, epoch: number) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const { models, model, setModel } = useModels(setNotice);
  const conversations = useConversations(projectId, epoch, setNotice);
  const projectBusy = useTurnEvents(socket, projectId, conversations);
  const turns = useTurnActions(projectId, model, conversations, setNotice);

  const { chat } = conversations;
  const running = Boolean(chat?.runningTurnId) || turns.sending;
  return {
    attachments: turns.attachments,
    attach: turns.attach,
    detach: turns.detach,
    sendWithAttachments: turns.sendWithAttachments,
    models,
    model,
    setModel,
    conversations: conversations.conversations,
    openId: conversations.openId,
    chat,
    running,
    projectBusy: projectBusy || running,
    notice,
    dismissNotice: () => setNotice(null),
    open: conversations.open,
    newConversation: conversations.newConversation,
    importFile: conversations.importFile,
    send: turns.send,
    stop: turns.stop,
    undo: turns.undo,
    resend: turns.resend,
    rename: conversations.rename,
    remove: conversations.remove,
  };
}

export type Assistant = ReturnType<typeof useAssistant>;
