'use client';
// What the user does with turns of the open conversation: send a request (with the files and
// selections attached to it), stop the running turn, undo a turn's files, and resend (Retry, or an
// edited request) after rewinding to before a turn.
import { useCallback, useState } from 'react';
import type { MessageAttachment } from '@/server/contracts';
import * as assistantApi from './assistant-api';
import { requestOf } from './chat-state';
import { messageOf, type SetNotice } from './notice';
import type { Conversations } from './use-conversations';

export function useTurnActions(
  projectId: string,
  model: string | null,
  conversations: Conversations,
  setNotice: SetNotice,
) {
  const [sending, setSending] = useState(false);
  /** The files and selections the next request carries ("Ask about selection", the paperclip). */
  const [attachments, setAttachments] = useState<MessageAttachment[]>([]);
  const { openRef, chat, load, newConversation } = conversations;

  const send = useCallback(
    async (content: string, context: MessageAttachment[] = []): Promise<boolean> => {
      const conversationId = openRef.current ?? (await newConversation());
      if (!conversationId) return false;
      setSending(true);
      setNotice(null);
      try {
        const sent = assistantApi.sendMessage(projectId, conversationId, {
          content,
          ...(model ? { model } : {}),
          ...(context.length ? { context } : {}),
        });
        setAttachments((current) => (current === context ? [] : current));
        const failure = await sent;
        if (failure) setNotice({ tone: 'error', text: failure });
        return true;
      } catch (error) {
        setNotice({ tone: 'error', text: messageOf(error, 'The assistant could not start') });
        return false;
      } finally {
        setSending(false);
      }
    },
    [projectId, model, newConversation, openRef, setNotice],
  );

  const stop = useCallback(async () => {
    const conversationId = openRef.current;
    if (!conversationId) return;
    try {
      await assistantApi.stopTurn(projectId, conversationId);
    } catch (error) {
      setNotice({ tone: 'error', text: messageOf(error, 'Could not stop the turn') });
    }
  }, [projectId, openRef, setNotice]);

  const undo = useCallback(
    async function undoTurn(turnId: string, force = false): Promise<void> {
      const conversationId = openRef.current;
      if (!conversationId) return;
      try {
        const result = await assistantApi.undoTurn(projectId, conversationId, turnId, force);
        const changed = result.restored.length + result.removed.length;
        const restored = `${changed} file${changed === 1 ? '' : 's'} restored`;
        const kept = result.conflicts.map((c) => `${c.path} (${c.reason})`).join(', ');
        setNotice(
          result.conflicts.length
            ? {
                tone: 'error',
                text: `Undid part of the turn: ${restored}. Left alone: ${kept}.`,
                action: { label: 'Undo anyway', run: () => void undoTurn(turnId, true) },
              }
            : { tone: 'info', text: `Undid the turn: ${restored}.` },
        );
        await load(conversationId);
      } catch (error) {
        setNotice({ tone: 'error', text: messageOf(error, 'Could not undo the turn') });
      }
    },
    [projectId, load, openRef, setNotice],
  );

  /** Rewinds the files and the chat to before `turnId`, then sends `content` (Retry, or an edited request). */
  const resend = useCallback(
    async (turnId: string, content?: string) => {
      const conversationId = openRef.current;
      if (!conversationId || !chat) return;
      const request = content ?? requestOf(chat, turnId);
      if (!request) return;
      try {
        const result = await assistantApi.rewindTurn(projectId, conversationId, turnId);
        if (result.conflicts.length)
          setNotice({
            tone: 'error',
            text: `Kept your changes to ${result.conflicts.map((c) => c.path).join(', ')}.`,
          });
        await load(conversationId);
      } catch (error) {
        setNotice({ tone: 'error', text: messageOf(error, 'Could not rewind the conversation') });
        return;
      }
      await send(request);
    },
    [projectId, chat, load, send, openRef, setNotice],
  );

  const attach = useCallback((attachment: MessageAttachment) => {
    setAttachments((current) => {
      const others = current.filter(
        (a) => a.path !== attachment.path || Boolean(a.selection) !== Boolean(attachment.selection),
      );
      return [...others, attachment].slice(-5);
    });
  }, []);

  return {
    sending,
    attachments,
    attach,
    detach: (index: number) => setAttachments((current) => current.filter((_, i) => i !== index)),
    sendWithAttachments: (content: string) => send(content, attachments),
    send,
    stop,
    undo,
    resend,
  };
}
