'use client';
// A banner over the workbench when its connection cannot come back by itself: the page is open
// at an address Berth does not accept sockets from, or the account has too many connections.
import type { Connection } from '../connection-state';
import type { WorkbenchSocket } from '../workbench-socket';

export function ConnectionNotice({ connection, socket }: { connection: Connection; socket: WorkbenchSocket | null }) {
  if (connection.state !== 'wrong_origin' && connection.state !== 'too_many') return null;
  return (
    <div
      role="alert"
      data-testid="connection-notice"
      data-status={connection.state}
      className="fixed left-1/2 top-14 z-50 w-[min(36rem,92vw)] -translate-x-1/2 rounded-md border border-danger/40 bg-panel px-4 py-3 text-sm text-gray-100 shadow-2xl"
    >
      {connection.state === 'wrong_origin' ? (
        <p>
          Berth accepts connections only from its own address. Open{' '}
          <a
            href={`${connection.berthUrl}${window.location.pathname}`}
            className="font-medium text-accent underline"
            data-testid="berth-url"
          >
            {connection.berthUrl}
          </a>{' '}
          to use the workbench.
        </p>
      ) : (
        <div className="flex items-center gap-3">
          <p className="flex-1">
            {connection.message ?? 'Too many open connections for your account: close some Berth tabs and try again.'}
          </p>
          <button
            type="button"
            className="rounded px-2 py-1 text-accent hover:bg-edge"
            onClick={() => socket?.connect()}
          >
            Try again
          </button>
        </div>
      )}
    </div>
  );
}
