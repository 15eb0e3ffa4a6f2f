// Which site a request's Host header names: Berth's own (or anything not under the preview
// domain), a preview `p-<capability>.<PREVIEW_DOMAIN>`, a deployment `d-<projectId>-<env>.<PREVIEW_DOMAIN>`
// (issue 14), or a malformed name under the preview domain. X-Forwarded-Host is never
// consulted: only the Host header the client sent.
import { CAPABILITY_PATTERN, parseDeploymentLabel } from '../contracts';

export type PreviewHost =
  | { kind: 'preview'; capability: string }
  | { kind: 'deployment'; label: string; projectId: string; environment: string }
  | { kind: 'malformed' }
  | { kind: 'other' };

const PREVIEW_LABEL = /^p-([0-9a-f]{32})$/;

/** `domain` like `localhost:3000` or `preview.example.com`; compared case-insensitively. */
export function parsePreviewHost(host: string | undefined, domain: string): PreviewHost {
  if (!host) return { kind: 'other' };
  const wanted = domain.toLowerCase();
  let name = host.trim().toLowerCase();
  // A domain without a port matches the host name whatever port the client put in Host.
  if (!/:\d+$/.test(wanted)) name = name.replace(/:\d*$/, '');
  if (name === wanted || !name.endsWith(`.${wanted}`)) return { kind: 'other' };
  const label = name.slice(0, -(wanted.length + 1));
  if (label.startsWith('d-')) {
    const deployment = parseDeploymentLabel(label);
    return deployment ? { kind: 'deployment', label, ...deployment } : { kind: 'malformed' };
  }
  const match = PREVIEW_LABEL.exec(label);
  if (!match || !CAPABILITY_PATTERN.test(match[1]!)) return { kind: 'malformed' };
  return { kind: 'preview', capability: match[1]! };
}

export const previewUrl = (scheme: string, capability: string, domain: string) =>
  `${scheme}://p-${capability}.${domain}/`;
