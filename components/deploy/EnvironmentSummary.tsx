'use client';
// An environment at a glance: its URL (opened through Berth, so a private one lets its owner in),
// what it is doing and who may see it.
import { environmentState } from './deploy-format';
import { openUrl, type EnvironmentView } from './deploy-api';

export function EnvironmentSummary({ projectId, env }: { projectId: string; env: EnvironmentView }) {
  const state = environmentState(env);
  const serving = env.current?.status === 'live';
  const host = env.url.replace(/^https?:\/\//, '').replace(/\/$/, '');
  return (
    <div
      className="flex flex-wrap items-center gap-x-4 gap-y-1 rounded-md border border-edge bg-panel-2 px-3 py-2"
      data-testid="environment-summary"
      data-state={env.current?.status ?? 'none'}
      data-health={env.current?.health ?? ''}
    >
      <span className="flex items-center gap-2 text-sm">
        <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${serving ? 'bg-emerald-400' : 'bg-muted'}`} />
        <span className={state.tone} data-testid="environment-state">
          {state.text}
        </span>
      </span>
      <span className="text-xs text-muted" data-testid="environment-visibility">
        {env.private ? '🔒 Private: only you, signed in' : 'Public: anyone with the link'}
      </span>
      {serving ? (
        <a
          href={openUrl(projectId, env.name)}
          target="_blank"
          rel="noreferrer"
          data-testid="environment-open"
          data-url={env.url}
          className="ml-auto min-w-0 truncate font-mono text-xs text-accent hover:underline"
          title={`Open ${env.url} in a new tab`}
        >
          {host} ↗
        </a>
      ) : (
        <span className="ml-auto min-w-0 truncate font-mono text-xs text-muted" title="Nothing serves here now">
          {host}
        </span>
      )}
    </div>
  );
}
