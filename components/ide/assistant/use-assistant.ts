'use client';
// The Assistant panel's state: the models, the project's conversations, the open one as chat
// items, and the actions (send, stop, undo, retry, edit, new/rename/delete). Turn events come over
// the socket (`ai:*`, the same in every tab); a reconnect reloads what may have been missed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  AiModelListDto,
  AssistantTurnEventDto,
  ConversationSummaryDto,
  MessageAttachment,
  TurnUpdatedPushDto,
} from '@/server/contracts';
import { ApiError } from '../../api-client';
import type { WorkbenchSocket } from '../workbench-socket';
import * as assistantApi from './assistant-api';
import { chatFromConversation } from './chat-from-conversation';
import { emptyChat, requestOf, type ChatState } from './chat-state';
import { applyTurnEvent, applyTurnUpdate } from './chat-turn-events';

const TURN_EVENTS = [
  'ai:started',
  'ai:text',
  'ai:tool-call',
  'ai:tool-result',
  'ai:tool-output',
  'ai:error',
  'ai:done',
] as const;

const MODEL_KEY = 'berth:assistant-model';
const openKey = (projectId: string) => `berth:assistant-conversation:${projectId}`;

const stored = (key: string): string | null => {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
};
const store = (key: string, value: string | null) => {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
};

const messageOf = (error: unknown, fallback: string) =>
  error instanceof Error && error.message ? error.message : fallback;

export interface Notice {
  tone: 'info' | 'error';
  text: string;
  /** A follow-up the user can take from the notice (e.g. "Undo anyway"). */
  action?: { label: string; run(): void };
}

export function useAssistant(socket: WorkbenchSocket | null, projectId: string, epoch: number) {
  const [models, setModels] = useState<AiModelListDto | null>(null);
  const [model, setModelState] = useState<string | null>(null);
  const [conversations, setConversations] = useState<ConversationSummaryDto[] | null>(null);
  const [openId, setOpenIdState] = useState<string | null>(null);
  const [chat, setChat] = useState<ChatState | null>(null);
  /** A turn runs somewhere in the project (any conversation): one at a time. */
  const [projectBusy, setProjectBusy] = useState(false);
  const [sending, setSending] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  /** The files and selections the next request carries ("Ask about selection", the paperclip). */
  const [attachments, setAttachments] = useState<MessageAttachment[]>([]);
  const openRef = useRef<string | null>(null);

  const setOpenId = useCallback(
    (id: string | null) => {
      openRef.current = id;
      setOpenIdState(id);
      store(openKey(projectId), id);
    },
    [projectId],
  );

  const setModel = useCallback((id: string) => {
    setModelState(id);
    store(MODEL_KEY, id);
  }, []);

  const refreshList = useCallback(async () => {
    const { conversations: list } = await assistantApi.listConversations(projectId);
    setConversations(list);
    return list;
  }, [projectId]);

  const load = useCallback(
    async (conversationId: string) => {
      try {
        const conversation = await assistantApi.getConversation(projectId, conversationId);
        if (openRef.current === conversationId) setChat(chatFromConversation(conversation));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404 && openRef.current === conversationId) {
          setOpenId(null);
          setChat(null);
        } else setNotice({ tone: 'error', text: messageOf(error, 'Could not load the conversation') });
      }
    },
    [projectId, setOpenId],
  );

  // Models once; the remembered choice when it is still offered, else the server's default (first).
  useEffect(() => {
    let active = true;
    assistantApi.listModels().then(
      (list) => {
        if (!active) return;
        setModels(list);
        const remembered = stored(MODEL_KEY);
        setModelState(list.models.some((m) => m.id === remembered) ? remembered : (list.models[0]?.id ?? null));
      },
      (error: unknown) => active && setNotice({ tone: 'error', text: messageOf(error, 'Could not list the models') }),
    );
    return () => {
      active = false;
    };
  }, []);

  // The list and the open conversation, at mount and after every reconnect (events may have been missed).
  useEffect(() => {
    if (!epoch) return;
    let active = true;
    void refreshList().then(
      (list) => {
        if (!active) return;
        const wanted = openRef.current ?? stored(openKey(projectId));
        const pick = list.find((c) => c.id === wanted)?.id ?? list[0]?.id ?? null;
        setOpenId(pick);
        if (pick) void load(pick);
        else setChat(null);
      },
      (error: unknown) =>
        active && setNotice({ tone: 'error', text: messageOf(error, 'Could not list conversations') }),
    );
    return () => {
      active = false;
    };
  }, [epoch, projectId, refreshList, load, setOpenId]);

  // Live turn events of the project, and list changes from any tab.
  useEffect(() => {
    if (!socket) return;
    const onEvent = (event: AssistantTurnEventDto & { projectId: string }) => {
      if (event.projectId !== projectId) return;
      if (event.type === 'started') setProjectBusy(true);
      if (event.type === 'done') setProjectBusy(false);
      setChat((current) => (current ? applyTurnEvent(current, event) : current));
      if (event.type === 'started' || event.type === 'done') void refreshList().catch(() => undefined);
    };
    const onList = ({ projectId: changed }: { projectId: string }) => {
      if (changed !== projectId) return;
      void refreshList().then(
        (list) => {
          const open = openRef.current;
          if (open && !list.some((c) => c.id === open)) {
            const next = list[0]?.id ?? null;
            setOpenId(next);
            if (next) void load(next);
            else setChat(null);
          }
        },
        () => undefined,
      );
    };
    // An undo changes one turn; a rewind removes messages: reload the conversation then.
    const onTurnUpdated = (update: TurnUpdatedPushDto) => {
      if (update.projectId !== projectId || update.conversationId !== openRef.current) return;
      if (update.change === 'undone') setChat((current) => (current ? applyTurnUpdate(current, update.turn) : current));
      else void load(update.conversationId);
    };
    for (const name of TURN_EVENTS) socket.on(name, onEvent);
    socket.on('ai:conversations', onList);
    socket.on('ai:turn-updated', onTurnUpdated);
    return () => {
      for (const name of TURN_EVENTS) socket.off(name, onEvent);
      socket.off('ai:conversations', onList);
      socket.off('ai:turn-updated', onTurnUpdated);
    };
  }, [socket, projectId, refreshList, load, setOpenId]);

  const open = useCallback(
    (conversationId: string) => {
      setOpenId(conversationId);
      setChat(null);
      void load(conversationId);
    },
    [load, setOpenId],
  );

  const newConversation = useCallback(async () => {
    try {
      const { id } = await assistantApi.createConversation(projectId);
      // Empty by definition: shown at once, with no load that could race the first turn's events
      // (a GET answered before the request was stored would replace the chat without it).
      setOpenId(id);
      setChat(emptyChat(id));
      await refreshList();
      return id;
    } catch (error) {
      setNotice({ tone: 'error', text: messageOf(error, 'Could not start a conversation') });
      return null;
    }
  }, [projectId, refreshList, setOpenId]);

  const importFile = useCallback(
    async (file: File) => {
      try {
        const { id } = await assistantApi.importConversation(projectId, file);
        setOpenId(id);
        setChat(null);
        await Promise.all([refreshList(), load(id)]);
        setNotice({ tone: 'info', text: `Imported ${file.name}` });
      } catch (error) {
        // A malformed file: the server names the first field that does not fit.
        const fields = error instanceof ApiError ? Object.entries(error.body.fieldErrors ?? {}) : [];
        const detail = fields.length ? ` (${fields[0]![0]}: ${fields[0]![1][0] ?? 'not valid'})` : '';
        setNotice({
          tone: 'error',
          text: `${file.name} was not imported: ${messageOf(error, 'the server refused it')}${detail}`,
        });
      }
    },
    [projectId, refreshList, load, setOpenId],
  );

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
    [projectId, model, newConversation],
  );

  const stop = useCallback(async () => {
    const conversationId = openRef.current;
    if (!conversationId) return;
    try {
      await assistantApi.stopTurn(projectId, conversationId);
    } catch (error) {
      setNotice({ tone: 'error', text: messageOf(error, 'Could not stop the turn') });
    }
  }, [projectId]);

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
    [projectId, load],
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
    [projectId, chat, load, send],
  );

  const rename = useCallback(
    async (title: string) => {
      const conversationId = openRef.current;
      if (!conversationId) return;
      try {
        await assistantApi.renameConversation(projectId, conversationId, title);
        await refreshList();
      } catch (error) {
        setNotice({ tone: 'error', text: messageOf(error, 'Could not rename the conversation') });
      }
    },
    [projectId, refreshList],
  );

  const remove = useCallback(async () => {
    const conversationId = openRef.current;
    if (!conversationId) return;
    try {
      await assistantApi.deleteConversation(projectId, conversationId);
      const list = await refreshList();
      const next = list[0]?.id ?? null;
      setOpenId(next);
      setChat(null);
      if (next) void load(next);
    } catch (error) {
      setNotice({ tone: 'error', text: messageOf(error, 'Could not delete the conversation') });
    }
  }, [projectId, refreshList, load, setOpenId]);

  const attach = useCallback((attachment: MessageAttachment) => {
    setAttachments((current) => {
      const others = current.filter(
        (a) => a.path !== attachment.path || Boolean(a.selection) !== Boolean(attachment.selection),
      );
      return [...others, attachment].slice(-5);
    });
  }, []);

  const running = Boolean(chat?.runningTurnId) || sending;
  return {
    attachments,
    attach,
    detach: (index: number) => setAttachments((current) => current.filter((_, i) => i !== index)),
    sendWithAttachments: (content: string) => send(content, attachments),
    models,
    model,
    setModel,
    conversations,
    openId,
    chat,
    running,
    projectBusy: projectBusy || running,
    notice,
    dismissNotice: () => setNotice(null),
    open,
    newConversation,
    importFile,
    send,
    stop,
    undo,
    resend,
    rename,
    remove,
  };
}

export type Assistant = ReturnType<typeof useAssistant>;
