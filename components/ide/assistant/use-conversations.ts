'use client';
// The project's conversations and the open one: the list, loading the open conversation as chat
// items (at mount and after every reconnect, as events may have been missed), and the actions on
// conversations themselves (open, new, import, rename, delete).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationSummaryDto } from '@/server/contracts';
import { ApiError } from '../../api-client';
import * as assistantApi from './assistant-api';
import { chatFromConversation } from './chat-from-conversation';
import { touchedConversation } from './conversation-list';
import { emptyChat, type ChatState } from './chat-state';
import { messageOf, type SetNotice } from './notice';
import { openKey, store, stored } from './remembered';

export function useConversations(projectId: string, epoch: number, setNotice: SetNotice) {
  const [conversations, setConversations] = useState<ConversationSummaryDto[] | null>(null);
  const [openId, setOpenIdState] = useState<string | null>(null);
  const [chat, setChat] = useState<ChatState | null>(null);
  const openRef = useRef<string | null>(null);

  const setOpenId = useCallback(
    (id: string | null) => {
      openRef.current = id;
      setOpenIdState(id);
      store(openKey(projectId), id);
    },
    [projectId],
  );

  const refreshList = useCallback(async () => {
    const { conversations: list } = await assistantApi.listConversations(projectId);
    setConversations(list);
    return list;
  }, [projectId]);

  /** A turn ended in `conversationId`: it moves to the top, with no request to the server. */
  const touch = useCallback((conversationId: string) => {
    setConversations((list) => (list ? touchedConversation(list, conversationId, new Date().toISOString()) : list));
  }, []);

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
    [projectId, setOpenId, setNotice],
  );

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
  }, [epoch, projectId, refreshList, load, setOpenId, setNotice]);

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
  }, [projectId, refreshList, setOpenId, setNotice]);

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
    [projectId, refreshList, load, setOpenId, setNotice],
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
    [projectId, refreshList, setNotice],
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
  }, [projectId, refreshList, load, setOpenId, setNotice]);

  return {
    conversations,
    openId,
    openRef,
    chat,
    setChat,
    setOpenId,
    refreshList,
    touch,
    load,
    open,
    newConversation,
    importFile,
    rename,
    remove,
  };
}

export type Conversations = ReturnType<typeof useConversations>;
