// Pure helpers of the preview pane: which port to show first, and where a path leads.
import type { PreviewDto } from '@/server/contracts/preview';

/** Ports dev servers use by default, best first: Vite, then Next/Express/static. */
const PREFERRED_PORTS = [5173, 3000];

export function pickPort(previews: readonly PreviewDto[]): number | null {
  for (const port of PREFERRED_PORTS) if (previews.some((preview) => preview.port === port)) return port;
  const ports = previews.map((preview) => preview.port).sort((a, b) => a - b);
  return ports[0] ?? null;
}

/** The preview URL (ends with '/') joined with a path the user typed ('about', '/a?b=1#c'). */
export function previewHref(url: string, path: string): string {
  const trimmed = path.trim().replace(/^\/+/, '');
  return trimmed ? `${url.replace(/\/+$/, '')}/${trimmed}` : url;
}

export const DEVICES = [
  { id: 'desktop', label: 'Desktop', width: null },
  { id: 'tablet', label: 'Tablet', width: 768 },
  { id: 'phone', label: 'Phone', width: 375 },
] as const;
export type DeviceId = (typeof DEVICES)[number]['id'];
