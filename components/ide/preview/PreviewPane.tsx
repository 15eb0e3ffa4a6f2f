'use client';
// The preview pane: the dev server's page in an iframe on its own site (the capability URL,
// never proxied through Berth's origin), with states for a stopped workspace and for a
// workspace where nothing listens yet.
import { useEffect, useState } from 'react';
import type { WorkspaceStatusDto } from '@/server/contracts';
import type { PreviewDto } from '@/server/contracts/preview';
import { api } from '../../api-client';
import { PaneTitle } from '../EmptyPane';
import type { WorkbenchSocket } from '../workbench-socket';
import { copyText } from './clipboard';
import { DEVICES, pickPort, previewHref, type DeviceId } from './preview-logic';
import { PreviewToolbar } from './PreviewToolbar';
import { runDevServer } from './run-dev';
import { usePreviews } from './use-previews';

export interface PreviewPaneProps {
  socket: WorkbenchSocket | null;
  projectId: string;
  workspace: WorkspaceStatusDto | null;
  /** The "dev" terminal Run created, so the terminal panel can show it. */
  onTerminalCreated?: (terminalId: string) => void;
  /** Switch to this port (the assistant started a dev server there); seq tells a repeat apart. */
  showPort?: { port: number; seq: number } | null;
}

export function PreviewPane({ socket, projectId, workspace, onTerminalCreated, showPort }: PreviewPaneProps) {
  const running = workspace?.state === 'running';
  const { previews, replace } = usePreviews(socket, projectId, running);
  const [chosenPort, setChosenPort] = useState<number | null>(null);
  const [path, setPath] = useState('');
  const [reloads, setReloads] = useState(0);
  const [device, setDevice] = useState<DeviceId>('desktop');
  const [shareLabel, setShareLabel] = useState('Share');
  const [revoking, setRevoking] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (showPort) setChosenPort(showPort.port);
  }, [showPort]);

  const list = running ? (previews ?? []) : [];
  const port = list.some((item) => item.port === chosenPort) ? chosenPort : pickPort(list);
  const current = list.find((item) => item.port === port) ?? null;
  const status = !running ? 'stopped' : current ? 'ready' : 'waiting';

  const run = async () => {
    if (!socket) return;
    setStarting(true);
    setError(null);
    try {
      onTerminalCreated?.(await runDevServer(socket, projectId));
    } catch (cause) {
      setError((cause as Error).message);
    } finally {
      setStarting(false);
    }
  };

  const share = async (url: string) => {
    const copied = await copyText(url);
    if (!copied) window.prompt('Copy the preview URL', url);
    setShareLabel(copied ? 'Copied' : 'Share');
    if (copied) setTimeout(() => setShareLabel('Share'), 1500);
  };

  const revoke = async (target: PreviewDto) => {
    setRevoking(true);
    setError(null);
    try {
      replace(await api<PreviewDto>(`/projects/${projectId}/previews/${target.port}/revoke`, { method: 'POST' }));
    } catch (cause) {
      setError((cause as Error).message);
    } finally {
      setRevoking(false);
    }
  };

  const width = DEVICES.find((item) => item.id === device)?.width ?? null;
  const href = current ? previewHref(current.url, path) : '';

  return (
    <div
      className="flex h-full flex-col bg-panel"
      data-testid="preview-pane"
      data-status={status}
      data-port={port ?? undefined}
    >
      <PaneTitle>Preview</PaneTitle>
      {current && port !== null ? (
        <PreviewToolbar
          previews={list}
          port={port}
          href={href}
          device={device}
          shareLabel={shareLabel}
          revoking={revoking}
          onPort={(value) => {
            setChosenPort(value);
            setPath('');
          }}
          onNavigate={(value) => {
            setPath(value);
            setReloads((count) => count + 1);
          }}
          onReload={() => setReloads((count) => count + 1)}
          onDevice={setDevice}
          onShare={() => void share(current.url)}
          onRevoke={() => void revoke(current)}
        />
      ) : null}
      {error ? (
        <div className="bg-danger/15 px-3 py-1 text-xs text-danger" role="alert">
          {error}
        </div>
      ) : null}
      <div className="min-h-0 flex-1 overflow-auto bg-surface">
        {status === 'ready' ? (
          <iframe
            key={`${href}#${reloads}`}
            data-testid="preview-frame"
            title="Preview"
            src={href}
            sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-modals"
            allow="clipboard-read; clipboard-write"
            className="mx-auto block h-full border-0 bg-white"
            style={{ width: width ? `${width}px` : '100%' }}
          />
        ) : status === 'waiting' ? (
          <div
            className="flex h-full flex-col items-center justify-center gap-2 p-4 text-center"
            data-testid="preview-waiting"
          >
            <p className="text-sm font-medium text-gray-300">Nothing is listening yet</p>
            <p className="max-w-xs text-xs text-muted">
              Run <code className="rounded bg-panel-2 px-1">npm run dev</code> and the page shows here, on its own
              origin.
            </p>
            <button
              type="button"
              className="rounded bg-accent px-3 py-1 text-sm text-white disabled:opacity-50"
              data-testid="preview-run"
              disabled={!socket || starting}
              onClick={() => void run()}
            >
              {starting ? 'Starting…' : 'Run'}
            </button>
          </div>
        ) : (
          <div
            className="flex h-full flex-col items-center justify-center gap-1 p-4 text-center"
            data-testid="preview-stopped"
          >
            <p className="text-sm font-medium text-gray-300">Nothing to preview</p>
            <p className="max-w-xs text-xs text-muted">
              {workspace?.state === 'starting'
                ? 'Starting the workspace…'
                : 'The preview shows once the workspace is running.'}
            </p>
          </div>
        )}
      </div>
    </div>
  );
}
