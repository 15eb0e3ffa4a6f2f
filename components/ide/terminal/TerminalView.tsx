'use client';
// One xterm.js view bound to a server-side terminal session: attaches on mount (and after
// every reconnect), replays the scrollback, sends keystrokes and size, acks output so the
// server can apply backpressure. Keys that do not reach the shell are reported in the view.
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { Terminal } from '@xterm/xterm';
import type { SearchAddon } from '@xterm/addon-search';
import type { TerminalDto } from '@/server/contracts';
import { call, type WorkbenchSocket } from '../workbench-socket';
import { lostInputNotice, TerminalInput, type LostInput } from './terminal-input';
import type { OutputRouter } from './output-router';

export interface TerminalViewProps {
  socket: WorkbenchSocket;
  epoch: number;
  terminal: TerminalDto;
  visible: boolean;
  output: OutputRouter;
  onSearchReady(search: SearchAddon | null): void;
  onRestart(size: { cols: number; rows: number }): void;
}

const theme = {
  background: '#0f1115',
  foreground: '#e6e8ec',
  cursor: '#4f8cff',
  selectionBackground: '#4f8cff55',
};

export function TerminalView({
  socket,
  epoch,
  terminal,
  visible,
  output,
  onSearchReady,
  onRestart,
}: TerminalViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const fit = useRef<(() => void) | null>(null);
  // True while the scrollback is being replayed: see the attach effect.
  const replaying = useRef(false);
  const [ready, setReady] = useState(false);
  const [attachError, setAttachError] = useState<string | null>(null);
  const [lostInput, setLostInput] = useState<LostInput | null>(null);
  const terminalId = terminal.id;
  const [input] = useState(
    () =>
      new TerminalInput(
        (data) => call(socket, 'terminal:input', { terminalId, data }),
        (lost) => setLostInput((shown) => ({ chars: (shown?.chars ?? 0) + lost.chars, reason: lost.reason })),
      ),
  );

  // Create the xterm once.
  useEffect(() => {
    let disposed = false;
    const cleanups: (() => void)[] = [];
    void (async () => {
      const [{ Terminal }, { FitAddon }, { WebLinksAddon }, { SearchAddon }] = await Promise.all([
        import('@xterm/xterm'),
        import('@xterm/addon-fit'),
        import('@xterm/addon-web-links'),
        import('@xterm/addon-search'),
      ]);
      if (disposed || !host.current) return;
      const xterm = new Terminal({
        cursorBlink: true,
        fontSize: 13,
        fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
        theme,
        scrollback: 10_000,
        allowProposedApi: true,
      });
      const fitAddon = new FitAddon();
      const search = new SearchAddon();
      xterm.loadAddon(fitAddon);
      xterm.loadAddon(new WebLinksAddon());
      xterm.loadAddon(search);
      xterm.open(host.current);
      term.current = xterm;
      fit.current = () => {
        if (!host.current || host.current.offsetParent === null) return; // hidden: cannot measure
        fitAddon.fit();
      };
      const typed = xterm.onData((data) => {
        if (replaying.current && isTerminalReport(data)) return;
        input.type(data);
      });
      // From the moment the connection drops: the attach after the reconnect releases the keys.
      const hold = () => input.hold();
      socket.on('disconnect', hold);
      // A resize that fails changes nothing the user typed; the next one (or the attach) sets the size.
      const resize = xterm.onResize(
        ({ cols, rows }) => void call(socket, 'terminal:resize', { terminalId, cols, rows }).catch(() => undefined),
      );
      const observer = new ResizeObserver(() => fit.current?.());
      observer.observe(host.current);
      cleanups.push(
        () => typed.dispose(),
        () => resize.dispose(),
        () => observer.disconnect(),
        () => void socket.off('disconnect', hold),
      );
      onSearchReady(search);
      setReady(true);
    })();
    return () => {
      disposed = true;
      cleanups.forEach((cleanup) => cleanup());
      term.current?.dispose();
      term.current = null;
      onSearchReady(null);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [terminalId]);

  // Attach (again after each reconnect) and route output into the xterm.
  useEffect(() => {
    const xterm = term.current;
    if (!ready || !xterm) return;
    let active = true;
    const unroute = output.register(terminalId, (data, ack) => xterm.write(data, ack));
    fit.current?.();
    input.hold();
    call(socket, 'terminal:attach', { terminalId }).then(
      (attached) => {
        if (!active) return;
        setAttachError(null);
        xterm.reset();
        // The history holds the queries programs sent the terminal (tmux asks for its device
        // attributes on attach). xterm.js answers them again as it replays; those answers are
        // stale, and one reaching the shell would be typed as text (`0;276;0c`).
        replaying.current = true;
        xterm.write(attached.scrollback, () => (replaying.current = false));
        void call(socket, 'terminal:resize', { terminalId, cols: xterm.cols, rows: xterm.rows }).catch(() => undefined);
        input.release();
      },
      (error: Error) => active && setAttachError(error.message),
    );
    return () => {
      active = false;
      unroute();
      void call(socket, 'terminal:detach', { terminalId }).catch(() => undefined);
    };
  }, [ready, socket, epoch, terminalId, output, input]);

  // Fit when the tab becomes visible; focus it only if that does not steal focus from
  // elsewhere (a terminal that finishes starting must not blur the file tree's name input).
  useEffect(() => {
    if (!visible || !ready) return;
    fit.current?.();
    const active = document.activeElement;
    const panel = host.current?.closest('[data-testid="terminal-pane"]');
    // Never from a text field being typed in (a tab's rename box lives in the panel too).
    const typing =
      active instanceof HTMLInputElement || (active instanceof HTMLTextAreaElement && !host.current?.contains(active));
    if (!typing && (!active || active === document.body || panel?.contains(active))) term.current?.focus();
  }, [visible, ready]);

  return (
    <div
      className={`relative h-full w-full ${visible ? '' : 'hidden'}`}
      data-testid="terminal-view"
      data-terminal-id={terminalId}
      data-status={terminal.state}
    >
      <div ref={host} className="h-full w-full px-2 pt-1" data-testid="xterm-host" />
      {terminal.state === 'exited' ? (
        <div
          className="absolute inset-x-0 bottom-0 flex items-center gap-3 border-t border-edge bg-panel-2/95 px-3 py-2 text-sm"
          data-testid="terminal-exited"
        >
          <span className="text-muted">
            Shell exited{terminal.exitCode !== null ? ` with code ${terminal.exitCode}` : ''}.
          </span>
          <button
            className="rounded bg-accent px-2 py-0.5 text-xs font-medium text-white"
            onClick={() => onRestart({ cols: term.current?.cols ?? 80, rows: term.current?.rows ?? 24 })}
          >
            Restart
          </button>
        </div>
      ) : null}
      <div className="absolute inset-x-0 top-0 text-xs text-danger">
        {attachError ? <div className="bg-danger/20 px-3 py-1">{attachError}</div> : null}
        {lostInput ? (
          <div
            role="alert"
            data-testid="terminal-input-lost"
            className="flex items-center gap-3 bg-danger/20 px-3 py-1"
          >
            <span className="flex-1">{lostInputNotice(lostInput)}</span>
            <button className="underline" onClick={() => setLostInput(null)}>
              Dismiss
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** What xterm.js sends on its own (device attributes, cursor position, colours) starts with ESC. */
const isTerminalReport = (data: string) => data.startsWith('\x1b');
