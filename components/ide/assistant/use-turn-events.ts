'use client';
// The socket's Assistant pushes for this project, the same in every tab: live turn events folded
// into the open chat, list changes, and a turn changed outside its events (undone, rewound).
import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { AssistantTurnEventDto, TurnUpdatedPushDto } from '@/server/contracts';
import type { WorkbenchSocket } from '../workbench-socket';
import { applyTurnEvent, applyTurnUpdate } from './chat-turn-events';
import type { Conversations } from './use-conversations';

const TURN_EVENTS = [
  'ai:started',
  'ai:text',
  'ai:tool-call',
  'ai:tool-result',
  'ai:tool-output',
  'ai:error',
  'ai:done',
] as const;

/** Wires the pushes; returns whether a turn runs somewhere in the project (any conversation). */
export function useTurnEvents(socket: WorkbenchSocket | null, projectId: string, conversations: Conversations) {
  /** A turn runs somewhere in the project (any conversation): one at a time. */
  const [projectBusy, setProjectBusy] = useState(false);
  const { openRef, setChat, setOpenId, refreshList, touch, load } = conversations;
  /** The last turn whose answer has begun to show. */
  const textShown = useRef<string | null>(null);

  // Live turn events of the project, and list changes from any tab.
  useEffect(() => {
    if (!socket) return;
    const onEvent = (event: AssistantTurnEventDto & { projectId: string }) => {
      if (event.projectId !== projectId) return;
      if (event.type === 'started') setProjectBusy(true);
      if (event.type === 'done') setProjectBusy(false);
      const apply = () => setChat((current) => (current ? applyTurnEvent(current, event) : current));
      // A turn's first token is what the user waits for: committed at once, not at the scheduler's
      // next task (later tokens batch as usual).
      if (event.type === 'text' && textShown.current !== event.turnId) {
        textShown.current = event.turnId;
        flushSync(apply);
      } else apply();
      // Its end makes the conversation the most recently active: the list is reordered here rather
      // than read again (a read competed with a request sent right after the answer).
      if (event.type === 'done') touch(event.conversationId);
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
  }, [socket, projectId, refreshList, touch, load, setOpenId, setChat, openRef]);

  return projectBusy;
}
