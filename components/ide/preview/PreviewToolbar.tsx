'use client';
// The preview's controls: port, path, reload, new tab, device width, share and revoke.
import { useState } from 'react';
import type { PreviewDto } from '@/server/contracts/preview';
import { DEVICES, type DeviceId } from './preview-logic';

const button =
  'h-6 shrink-0 rounded border border-edge px-2 text-xs text-gray-200 hover:bg-surface disabled:opacity-50';

export interface PreviewToolbarProps {
  previews: PreviewDto[];
  port: number;
  href: string;
  device: DeviceId;
  shareLabel: string;
  revoking: boolean;
  onPort: (port: number) => void;
  onNavigate: (path: string) => void;
  onReload: () => void;
  onDevice: (device: DeviceId) => void;
  onShare: () => void;
  onRevoke: () => void;
}

export function PreviewToolbar(props: PreviewToolbarProps) {
  const [draft, setDraft] = useState('/');
  return (
    <div
      className="flex shrink-0 flex-wrap items-center gap-1 border-b border-edge bg-panel-2 px-2 py-1"
      data-testid="preview-toolbar"
    >
      <select
        aria-label="Port"
        data-testid="preview-port"
        className="h-6 rounded border border-edge bg-surface px-1 text-xs text-gray-100"
        value={props.port}
        onChange={(event) => props.onPort(Number(event.target.value))}
      >
        {props.previews.map((preview) => (
          <option key={preview.port} value={preview.port}>
            :{preview.port}
          </option>
        ))}
      </select>
      <input
        aria-label="Path"
        data-testid="preview-path"
        className="h-6 min-w-24 flex-1 rounded border border-edge bg-surface px-2 font-mono text-xs text-gray-100"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') props.onNavigate(draft);
        }}
      />
      <button
        type="button"
        className={button}
        title="Reload"
        aria-label="Reload"
        data-testid="preview-reload"
        onClick={props.onReload}
      >
        ⟳
      </button>
      <a
        className={`${button} leading-6`}
        href={props.href}
        target="_blank"
        rel="noopener"
        title="Open in a new tab"
        data-testid="preview-open"
      >
        ↗
      </a>
      <div className="flex shrink-0" role="group" aria-label="Device width">
        {DEVICES.map((device) => (
          <button
            key={device.id}
            type="button"
            aria-pressed={props.device === device.id}
            data-testid={`preview-device-${device.id}`}
            title={device.width ? `${device.label} (${device.width}px)` : device.label}
            className={`h-6 border border-edge px-2 text-xs first:rounded-l last:rounded-r ${props.device === device.id ? 'bg-accent text-white' : 'text-gray-300 hover:bg-surface'}`}
            onClick={() => props.onDevice(device.id)}
          >
            {device.label}
          </button>
        ))}
      </div>
      <button type="button" className={button} data-testid="preview-share" onClick={props.onShare}>
        {props.shareLabel}
      </button>
      <button
        type="button"
        className={button}
        data-testid="preview-revoke"
        title="Revoke this URL and make a new one"
        disabled={props.revoking}
        onClick={props.onRevoke}
      >
        Revoke
      </button>
    </div>
  );
}
