'use client';
// A file or selection attached to a request: "src/App.jsx:3–10", with × while it is still a draft.
import type { MessageAttachment } from '@/server/contracts';

export const attachmentLabel = (attachment: MessageAttachment): string => {
  const { selection } = attachment;
  if (!selection) return attachment.path;
  const lines =
    selection.startLine === selection.endLine
      ? `${selection.startLine}`
      : `${selection.startLine}–${selection.endLine}`;
  return `${attachment.path}:${lines}`;
};

export function AttachmentChip({ attachment, onRemove }: { attachment: MessageAttachment; onRemove?: () => void }) {
  return (
    <span
      data-testid="assistant-attachment"
      title={attachment.selection?.text.slice(0, 500) ?? attachment.path}
      className="inline-flex max-w-full items-center gap-1 rounded border border-edge bg-panel-2 px-1.5 py-0.5 font-mono text-[10px] text-gray-300"
    >
      <span className="truncate">{attachmentLabel(attachment)}</span>
      {onRemove ? (
        <button
          type="button"
          aria-label="Remove attachment"
          className="text-muted hover:text-gray-100"
          onClick={onRemove}
        >
          ×
        </button>
      ) : null}
    </span>
  );
}
