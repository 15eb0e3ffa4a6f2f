'use client';
// One deployment's build log and status, live: its Server-Sent Events stream, or (when the
// stream cannot be had) its JSON read again every second until it reaches a final state.
import { useEffect, useState } from 'react';
import type { DeploymentStatus } from '@/server/contracts';
import { buildLogStreamUrl, getDeployment } from './deploy-api';
import { isFinal } from './deploy-format';
import { useEventStream } from './use-event-stream';

const POLL_MS = 1000;

export function useBuildLog(projectId: string, env: string, id: string, initialStatus: DeploymentStatus) {
  const stream = useEventStream(buildLogStreamUrl(projectId, env, id));
  const [polled, setPolled] = useState<{ text: string; status: DeploymentStatus } | null>(null);
  const fallback = stream.phase === 'failed';

  useEffect(() => {
    if (!fallback) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const deployment = await getDeployment(projectId, env, id);
        if (stopped) return;
        setPolled({ text: deployment.buildLog, status: deployment.status });
        if (isFinal(deployment.status)) return;
      } catch {
        // Read again at the next tick: a blip must not end the view.
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [fallback, projectId, env, id]);

  const status = (fallback ? polled?.status : stream.status) ?? initialStatus;
  const text = fallback ? (polled?.text ?? stream.text) : stream.text;
  const ended = fallback ? polled !== null && isFinal(polled.status) : stream.phase === 'ended';
  return { status, text, ended, live: !fallback && stream.phase === 'open' };
}
