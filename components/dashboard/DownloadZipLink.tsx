'use client';
// "Download ZIP" for one project: asks the server first (zip-export-check.ts), then lets the
// browser stream the ZIP. A name a ZIP cannot carry (a backslash…) is shown with the server's
// message and a "Download bundle" link, since a bundle keeps such names unchanged.
import { useState, type MouseEvent } from 'react';
import { bundleUrl, checkZipExport, startDownload, zipExportUrl, type ZipExportCheck } from './zip-export-check';

type State = { status: 'idle' } | { status: 'checking' } | Exclude<ZipExportCheck, { status: 'ok' }>;

export function DownloadZipLink({
  projectId,
  projectName,
  className,
}: {
  projectId: string;
  projectName: string;
  className: string;
}) {
  const [state, setState] = useState<State>({ status: 'idle' });

  const onClick = async (event: MouseEvent<HTMLAnchorElement>) => {
    // Ctrl/middle-click etc. keep the link's own behaviour.
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    if (state.status === 'checking') return;
    setState({ status: 'checking' });
    const check = await checkZipExport(projectId);
    if (check.status === 'ok') {
      setState({ status: 'idle' });
      startDownload(zipExportUrl(projectId));
    } else setState(check);
  };

  return (
    <>
      <a
        href={zipExportUrl(projectId)}
        download
        onClick={(event) => void onClick(event)}
        className={className}
        aria-label={`Download ${projectName} as ZIP`}
        aria-busy={state.status === 'checking'}
        data-testid="download-project"
        data-status={state.status}
      >
        {state.status === 'checking' ? 'Preparing…' : 'Download ZIP'}
      </a>
      {state.status === 'refused' || state.status === 'failed' ? (
        <div
          role="alert"
          data-testid="download-zip-error"
          data-status={state.status}
          className="order-last flex basis-full items-start gap-3 rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
        >
          <p className="min-w-0 flex-1 break-words">
            {/[.!?]$/.test(state.message) ? state.message : `${state.message}.`}
            {state.status === 'refused' ? (
              <>
                {' '}
                <a
                  href={bundleUrl(projectId)}
                  download
                  className="font-medium underline"
                  data-testid="download-zip-bundle"
                  onClick={() => setState({ status: 'idle' })}
                >
                  Download bundle
                </a>
              </>
            ) : null}
          </p>
          <button
            type="button"
            className="shrink-0 text-xs underline"
            onClick={() => setState({ status: 'idle' })}
            data-testid="download-zip-error-dismiss"
          >
            Dismiss
          </button>
        </div>
      ) : null}
    </>
  );
}
