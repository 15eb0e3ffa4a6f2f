'use client';
// The models the assistant may use and the chosen one: the remembered choice when it is still
// offered, else the server's default (the first).
import { useCallback, useEffect, useState } from 'react';
import type { AiModelListDto } from '@/server/contracts';
import * as assistantApi from './assistant-api';
import { messageOf, type SetNotice } from './notice';
import { MODEL_KEY, store, stored } from './remembered';

export function useModels(setNotice: SetNotice) {
  const [models, setModels] = useState<AiModelListDto | null>(null);
  const [model, setModelState] = useState<string | null>(null);

  const setModel = useCallback((id: string) => {
    setModelState(id);
    store(MODEL_KEY, id);
  }, []);

  // Models once.
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
  }, [setNotice]);

  return { models, model, setModel };
}
