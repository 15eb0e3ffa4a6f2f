'use client';
// Follows a Server-Sent Events stream of log text ('log' events with {text}, 'status' with
// {status}, 'end' when nothing more will come). The text is capped to its last part; the
// browser's EventSource reconnects by itself, so a closed stream before 'end' is an error.
import { useEffect, useState } from 'react';
import type { DeploymentStatus } from '@/server/contracts';

const MAX_CHARS = 512 * 1024;

export interface EventStreamState {
  text: string;
  status: DeploymentStatus | null;
  phase: 'connecting' | 'open' | 'ended' | 'failed';
}

const INITIAL: EventStreamState = { text: '', status: null, phase: 'connecting' };

function field<T>(data: string, key: string): T | undefined {
  try {
    const parsed = JSON.parse(data) as Record<string, unknown>;
    return parsed[key] as T | undefined;
  } catch {
    return undefined;
  }
}

export function useEventStream(url: string | null): EventStreamState {
  const [state, setState] = useState<EventStreamState>(INITIAL);
  useEffect(() => {
    setState(INITIAL);
    if (!url) return;
    const source = new EventSource(url, { withCredentials: true });
    let ended = false;
    let opened = false;
    // A reconnect sends the stream from its start again (the whole build log, the runtime tail).
    source.onopen = () => {
      const again = opened;
      opened = true;
      setState((current) => ({ ...current, text: again ? '' : current.text, phase: 'open' }));
    };
    source.addEventListener('log', (event) => {
      const text = field<string>(event.data as string, 'text');
      if (typeof text !== 'string') return;
      setState((current) => {
        const joined = current.text + text;
        return { ...current, text: joined.length > MAX_CHARS ? joined.slice(-MAX_CHARS) : joined };
      });
    });
    source.addEventListener('status', (event) => {
      const status = field<DeploymentStatus>(event.data as string, 'status');
      if (status) setState((current) => ({ ...current, status }));
    });
    source.addEventListener('end', () => {
      ended = true;
      source.close();
      setState((current) => ({ ...current, phase: 'ended' }));
    });
    source.onerror = () => {
      if (ended || source.readyState !== EventSource.CLOSED) return;
      setState((current) => ({ ...current, phase: 'failed' }));
    };
    return () => source.close();
  }, [url]);
  return state;
}
