'use client';
// The Logs tab: what the running deployment prints (its last lines, then live), followed while shown.
import { runtimeLogStreamUrl, type EnvironmentView } from './deploy-api';
import { LogView } from './LogView';
import { useEventStream } from './use-event-stream';

export function RuntimeLogs({ projectId, env, active }: { projectId: string; env: EnvironmentView; active: boolean }) {
  const running = env.current?.status === 'live';
  const stream = useEventStream(running && active ? runtimeLogStreamUrl(projectId, env.name) : null);
  const note = !running
    ? 'Nothing is running in this environment.'
    : stream.phase === 'failed'
      ? 'The log stream closed. Reopen this tab to follow it again.'
      : stream.phase === 'connecting'
        ? 'Connecting…'
        : 'Following the app’s output.';
  return (
    <div className="flex flex-col gap-2" data-testid="runtime-logs" data-phase={running ? stream.phase : 'idle'}>
      <p className="text-xs text-muted">{note}</p>
      <LogView
        text={stream.text}
        empty={running ? 'No output yet.' : 'Deploy to see the app’s output here.'}
        testId="runtime-log"
        label="Runtime log"
        className="h-96"
      />
    </div>
  );
}
