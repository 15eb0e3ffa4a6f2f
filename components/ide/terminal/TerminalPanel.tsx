'use client';
// The terminal panel: tabs of server-side terminal sessions. Lists the project's terminals
// when the workspace runs (and after each reconnect), opens a first one automatically, and
// keeps every view mounted so output keeps flowing into hidden tabs.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SearchAddon } from '@xterm/addon-search';
import type { TerminalDto, WorkspaceStatusDto } from '@/server/contracts';
import { call, type WorkbenchSocket } from '../workbench-socket';
import { OutputRouter } from './output-router';
import { TerminalStartError } from './TerminalStartError';
import { TerminalTabs } from './TerminalTabs';
import { TerminalView } from './TerminalView';

const DEFAULT_SIZE = { cols: 80, rows: 24 };

/** `focusId`: a terminal created outside the panel (the preview's Run) to show once it is listed. */
export function TerminalPanel({
  socket,
  epoch,
  projectId,
  workspace,
  focusId,
}: {
  socket: WorkbenchSocket;
  epoch: number;
  projectId: string;
  workspace: WorkspaceStatusDto | null;
  focusId?: string | null;
}) {
  const [terminals, setTerminals] = useState<TerminalDto[] | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A terminal that could not start (create or restart): shown in the panel with a Retry.
  const [startFailure, setStartFailure] = useState<{ message: string; retry: () => void } | null>(null);
  const [reattach, setReattach] = useState(0);
  const searches = useRef(new Map<string, SearchAddon>());
  const output = useMemo(() => new OutputRouter(socket), [socket]);
  const running = workspace?.state === 'running';

  const upsert = useCallback((terminal: TerminalDto) => {
    setTerminals((list) => {
      const current = list ?? [];
      return current.some((item) => item.id === terminal.id)
        ? current.map((item) => (item.id === terminal.id ? terminal : item))
        : [...current, terminal];
    });
  }, []);

  const create = useCallback(async () => {
    setCreating(true);
    setError(null);
    setStartFailure(null);
    try {
      const created = await call(socket, 'terminal:create', { projectId, ...DEFAULT_SIZE });
      upsert(created);
      setActiveId(created.id);
    } catch (cause) {
      setStartFailure({ message: (cause as Error).message, retry: () => void create() });
    } finally {
      setCreating(false);
    }
  }, [socket, projectId, upsert]);

  // Load the list when the workspace runs (and after each reconnect); open a first terminal.
  useEffect(() => {
    if (!running) return;
    let active = true;
    call(socket, 'terminal:list', { projectId }).then(
      (list) => {
        if (!active) return;
        setTerminals(list);
        setActiveId((current) =>
          current && list.some((item) => item.id === current) ? current : (list[0]?.id ?? null),
        );
        if (list.length === 0) void create();
      },
      (cause: Error) => active && setError(cause.message),
    );
    return () => {
      active = false;
    };
  }, [socket, projectId, running, epoch, create]);

  useEffect(() => {
    const onUpdated = (terminal: TerminalDto) => terminal.projectId === projectId && upsert(terminal);
    const onClosed = ({ terminalId }: { terminalId: string }) => {
      setTerminals((list) => (list ?? []).filter((item) => item.id !== terminalId));
      setActiveId((current) => (current === terminalId ? null : current));
    };
    const onDetached = () => setReattach((value) => value + 1);
    socket.on('terminal:updated', onUpdated);
    socket.on('terminal:closed', onClosed);
    socket.on('terminal:detached', onDetached);
    return () => {
      socket.off('terminal:updated', onUpdated);
      socket.off('terminal:closed', onClosed);
      socket.off('terminal:detached', onDetached);
    };
  }, [socket, projectId, upsert]);

  // A terminal created from outside (the preview's Run) becomes the active tab once it is listed.
  const focusListed = Boolean(focusId && terminals?.some((item) => item.id === focusId));
  useEffect(() => {
    if (focusId && focusListed) setActiveId(focusId);
  }, [focusId, focusListed]);

  // A closed active tab hands focus to its neighbour.
  useEffect(() => {
    if (activeId === null && terminals && terminals.length > 0) setActiveId(terminals[terminals.length - 1]!.id);
  }, [activeId, terminals]);

  // Ctrl+Shift+` opens a new terminal, as in VS Code.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && event.shiftKey && (event.key === '`' || event.key === '~')) {
        event.preventDefault();
        if (running) void create();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [running, create]);

  const act = (promise: Promise<unknown>) => void promise.catch((cause: Error) => setError(cause.message));
  const restart = (terminalId: string, size: { cols: number; rows: number }) => {
    setStartFailure(null);
    setCreating(true);
    call(socket, 'terminal:restart', { terminalId, ...size })
      .then(upsert, (cause: Error) =>
        setStartFailure({ message: cause.message, retry: () => restart(terminalId, size) }),
      )
      .finally(() => setCreating(false));
  };

  return (
    <div
      className="flex h-full flex-col bg-surface"
      data-testid="terminal-pane"
      data-status={running ? 'ready' : (workspace?.state ?? 'connecting')}
    >
      <div className="flex h-8 shrink-0 items-center gap-2 border-b border-edge bg-panel-2 px-2">
        <span className="text-xs font-semibold uppercase tracking-wide text-muted">Terminal</span>
        {running && terminals ? (
          <TerminalTabs
            terminals={terminals}
            activeId={activeId}
            creating={creating}
            onSelect={setActiveId}
            onCreate={() => void create()}
            onRename={(terminalId, title) => act(call(socket, 'terminal:rename', { terminalId, title }).then(upsert))}
            onClose={(terminalId) =>
              act(
                call(socket, 'terminal:close', { terminalId }).then(() => {
                  setTerminals((list) => (list ?? []).filter((item) => item.id !== terminalId));
                  setActiveId((current) => (current === terminalId ? null : current));
                }),
              )
            }
          />
        ) : (
          <div className="flex-1" />
        )}
        {running ? (
          <input
            type="search"
            placeholder="Find"
            aria-label="Find in terminal"
            className="h-6 w-32 rounded border border-edge bg-surface px-2 text-xs text-gray-100 placeholder:text-muted"
            onKeyDown={(event) => {
              if (event.key === 'Enter' && activeId)
                searches.current.get(activeId)?.findNext(event.currentTarget.value, { caseSensitive: false });
            }}
          />
        ) : null}
      </div>
      {error ? (
        <div className="bg-danger/15 px-3 py-1 text-xs text-danger" role="alert">
          {error}
        </div>
      ) : null}
      <div className="relative min-h-0 flex-1">
        {running && startFailure ? (
          <TerminalStartError
            message={startFailure.message}
            retrying={creating}
            onRetry={startFailure.retry}
            onDismiss={terminals && terminals.length > 0 ? () => setStartFailure(null) : undefined}
            overlay={Boolean(terminals && terminals.length > 0)}
          />
        ) : null}
        {!running ? (
          <div className="flex h-full items-center justify-center text-sm text-muted" data-testid="terminal-waiting">
            {workspace?.state === 'starting'
              ? 'Starting the workspace…'
              : 'Terminals open once the workspace is running.'}
          </div>
        ) : terminals && terminals.length === 0 && startFailure ? null : terminals &&
          terminals.length === 0 &&
          !creating ? (
          <div className="flex h-full flex-col items-center justify-center gap-2 text-sm text-muted">
            No terminals.
            <button className="rounded bg-accent px-3 py-1 text-white" onClick={() => void create()}>
              New terminal
            </button>
          </div>
        ) : (
          terminals?.map((terminal) => (
            <TerminalView
              key={terminal.id}
              socket={socket}
              epoch={epoch + reattach}
              terminal={terminal}
              visible={terminal.id === activeId}
              output={output}
              onSearchReady={(addon) =>
                addon ? searches.current.set(terminal.id, addon) : searches.current.delete(terminal.id)
              }
              onRestart={(size) => restart(terminal.id, size)}
            />
          ))
        )}
      </div>
    </div>
  );
}
