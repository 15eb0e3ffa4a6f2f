'use client';
// One action of the model, as a card: a title while it runs and after ("Edited src/App.jsx
// (+12 −3)"), a click to see the change as a diff or a command's output (live while it runs), and
// the error when it failed.
import { useState } from 'react';
import type { ToolItem } from './chat-state';
import { cardDiff, cardError, cardTitle } from './tool-card-text';

/** A diff longer than this shows its first lines only. */
const DIFF_MAX_LINES = 400;

export function ToolCard({ card }: { card: ToolItem }) {
  const title = cardTitle(card);
  const error = cardError(card);
  const diff = cardDiff(card);
  const output = commandOutput(card);
  const expandable = Boolean((diff && (diff.added.length || diff.removed.length)) || output);
  // A running command shows its output as it comes; anything else opens on a click.
  const [expanded, setExpanded] = useState(false);
  const showBody = expanded || (card.status === 'running' && Boolean(output));

  return (
    <div
      data-testid="assistant-tool-card"
      data-tool={card.toolName}
      data-status={card.status}
      className={`rounded-md border text-xs ${card.status === 'error' ? 'border-danger/40 bg-danger/5' : 'border-edge bg-panel-2/60'}`}
    >
      <button
        type="button"
        className="flex w-full items-center gap-1.5 px-2 py-1.5 text-left disabled:cursor-default"
        disabled={!expandable}
        aria-expanded={expandable ? showBody : undefined}
        onClick={() => setExpanded((open) => !open)}
      >
        <StatusDot status={card.status} />
        <span className="min-w-0 flex-1 truncate" data-testid="assistant-tool-title">
          {title.verb}
          {title.subject ? (
            <>
              {' '}
              <code className="rounded bg-black/30 px-1 font-mono text-[11px] text-sky-200">{title.subject}</code>
            </>
          ) : null}
          {title.suffix ? <span className="text-muted"> ({title.suffix})</span> : null}
        </span>
        {expandable ? <span className="text-muted">{showBody ? '▾' : '▸'}</span> : null}
      </button>
      {error ? (
        <p
          data-testid="assistant-tool-error"
          className="whitespace-pre-wrap break-words border-t border-danger/30 px-2 py-1.5 text-danger"
        >
          {error.length > 2000 ? `${error.slice(0, 2000)}…` : error}
        </p>
      ) : null}
      {showBody && diff ? <CardDiff diff={diff} /> : null}
      {showBody && output ? (
        <pre
          data-testid="assistant-tool-output"
          className="max-h-48 overflow-auto whitespace-pre-wrap break-all border-t border-edge bg-black/40 px-2 py-1.5 font-mono text-[11px] text-gray-300"
        >
          {output.slice(-8000)}
        </pre>
      ) : null}
    </div>
  );
}

function CardDiff({ diff }: { diff: { removed: string[]; added: string[] } }) {
  const rows = [
    ...diff.removed.map((line) => ({ sign: '−', line })),
    ...diff.added.map((line) => ({ sign: '+', line })),
  ];
  return (
    <pre
      data-testid="assistant-tool-diff"
      className="max-h-72 overflow-auto border-t border-edge bg-black/40 py-1 font-mono text-[11px]"
    >
      {rows.slice(0, DIFF_MAX_LINES).map((row, index) => (
        <div
          key={index}
          className={`px-2 ${row.sign === '+' ? 'bg-emerald-500/10 text-emerald-200' : 'bg-red-500/10 text-red-200'}`}
        >
          <span className="select-none pr-2 opacity-60">{row.sign}</span>
          {row.line || ' '}
        </div>
      ))}
      {rows.length > DIFF_MAX_LINES ? (
        <div className="px-2 text-muted">… {rows.length - DIFF_MAX_LINES} more lines</div>
      ) : null}
    </pre>
  );
}

function StatusDot({ status }: { status: ToolItem['status'] }) {
  if (status === 'running')
    return <span aria-label="running" className="h-2 w-2 shrink-0 animate-pulse rounded-full bg-sky-400" />;
  if (status === 'error') return <span aria-label="failed" className="h-2 w-2 shrink-0 rounded-full bg-danger" />;
  return <span aria-label="done" className="h-2 w-2 shrink-0 rounded-full bg-emerald-500" />;
}

/** A command's output: live while it runs; from the stored result after a reload. */
function commandOutput(card: ToolItem): string {
  if (card.toolName !== 'run_command' && card.toolName !== 'start_dev_server') return '';
  if (card.liveOutput) return card.liveOutput;
  return card.status === 'done' && typeof card.output === 'string' ? card.output : '';
}
