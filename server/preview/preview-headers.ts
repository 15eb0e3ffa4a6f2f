// The header rules of a preview, in one place for both proxy paths (preview-connection.ts and
// preview-proxy.ts): Berth's cookies and any Authorization never reach the app, neither do
// X-Forwarded-Host (the Host the client sent is the only one) or X-Berth-*; hop-by-hop headers
// stay on their hop; every answer may be framed by the IDE and by nothing else; the app's cookies
// stay on its own origin.

/** Cookies Berth itself sets (next-auth session and CSRF, a deployment host's __berth_* access cookie); every other cookie passes. */
const BERTH_COOKIE = /^(?:(__secure-|__host-)?next-auth\.|__berth_)/i;

export function stripBerthCookies(cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  const kept = cookie
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '' && !BERTH_COOKIE.test(pair.split('=')[0]!.trim()));
  return kept.length > 0 ? kept.join('; ') : undefined;
}

/**
 * A Set-Cookie of the app made host-only (its Domain attributes dropped): the app's own origin
 * may keep cookies, but one with Domain=<preview domain> (or a parent shared with Berth) would
 * be sent to every other preview, or to Berth itself (cookie tossing, session fixation).
 */
export function hostOnlySetCookie(value: string): string {
  const parts = value.split(';');
  const kept = [parts[0]!.trim()];
  for (const attribute of parts.slice(1)) {
    const trimmed = attribute.trim();
    if (trimmed !== '' && trimmed.split('=')[0]!.trim().toLowerCase() !== 'domain') kept.push(trimmed);
  }
  return kept.join('; ');
}

/**
 * Answer headers never passed to the browser: Clear-Site-Data "cookies" clears the cookies of the
 * whole registrable domain, so a preview could sign the user out of Berth or wipe other previews.
 */
export const isDroppedAnswerHeader = (lower: string): boolean => lower === 'clear-site-data';

/** Hop-by-hop (RFC 9110 §7.6.1), besides Connection itself; Upgrade stays on an upgrade. */
const HOP_BY_HOP = new Set(['keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'proxy-authenticate']);

/** Request headers never sent to the app, whatever the path (lowercase names). */
export function isDroppedRequestHeader(lower: string): boolean {
  return (
    lower === 'authorization' ||
    lower === 'proxy-authorization' ||
    lower === 'x-forwarded-host' ||
    lower.startsWith('x-berth-')
  );
}

/** Hop-by-hop request headers (lowercase): dropped unless the request asks for an upgrade. */
export const isHopByHop = (lower: string): boolean => HOP_BY_HOP.has(lower);

/** The tokens of Connection headers, lowercase (`close`, `upgrade`, or names of more hop-by-hop headers). */
export function connectionTokens(values: readonly string[]): Set<string> {
  const tokens = new Set<string>();
  for (const value of values)
    for (const token of value.split(',')) {
      const trimmed = token.trim().toLowerCase();
      if (trimmed !== '') tokens.add(trimmed);
    }
  return tokens;
}

/** Framing headers stay whatever Connection lists: dropping them would unframe the body. */
const FRAMING = new Set(['host', 'content-length', 'transfer-encoding']);

/** A header named by the message's Connection tokens (`listed`) is hop-by-hop too, unless it frames the body. */
export const isListedByConnection = (lower: string, listed: ReadonlySet<string>): boolean =>
  listed.has(lower) && !FRAMING.has(lower);

/** The policy added to every answer: only the IDE may frame a preview. */
export const frameAncestors = (ideOrigin: string): string => `frame-ancestors ${ideOrigin}`;
