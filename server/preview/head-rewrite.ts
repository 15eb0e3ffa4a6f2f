// The header rules (preview-headers.ts) applied to message heads on the preview fast path
// (preview-connection.ts): what a request head says about its routing, the head the app gets,
// and the head the browser gets back with what that answer means for both connections.
import { responseBodyLength, type BodyLength, type RequestHead, type ResponseHead } from './http-framing';
import {
  connectionTokens,
  frameAncestors,
  hostOnlySetCookie,
  isDroppedAnswerHeader,
  isDroppedRequestHeader,
  isHopByHop,
  isListedByConnection,
  stripBerthCookies,
} from './preview-headers';
import { originForm } from './preview-proxy';

export interface RequestFacts {
  /** The (last) Host value, and how many Host headers there were. */
  host: string | undefined;
  hosts: number;
  /** Connection: upgrade with an Upgrade header (a WebSocket, HMR). */
  upgrade: boolean;
  /** The client wants the connection closed after this answer. */
  close: boolean;
  /** Connection tokens, lowercase. */
  listed: Set<string>;
}

export function requestFacts(head: RequestHead): RequestFacts {
  let host: string | undefined;
  let hosts = 0;
  const tokens: string[] = [];
  let upgradeHeader = false;
  for (const [name, value] of head.headers) {
    const lower = name.toLowerCase();
    if (lower === 'host') {
      host = value;
      hosts++;
    } else if (lower === 'connection') tokens.push(value);
    else if (lower === 'upgrade') upgradeHeader = true;
  }
  const listed = connectionTokens(tokens);
  return {
    host,
    hosts,
    listed,
    upgrade: upgradeHeader && listed.has('upgrade'),
    close: head.version === '1.0' || listed.has('close'),
  };
}

/** The head the app gets: origin-form target, Berth's cookies and credentials gone, hop-by-hop gone unless upgrading. */
export function appRequestHead(head: RequestHead, facts: RequestFacts): string {
  let lines = `${head.method} ${originForm(head.target)} HTTP/${head.version}\r\n`;
  let cookies: string | undefined;
  for (const [name, value] of head.headers) {
    const lower = name.toLowerCase();
    if (isDroppedRequestHeader(lower)) continue;
    if (lower === 'cookie') {
      cookies = cookies === undefined ? value : `${cookies}; ${value}`;
      continue;
    }
    if (!facts.upgrade && (lower === 'connection' || isHopByHop(lower) || isListedByConnection(lower, facts.listed)))
      continue;
    lines += `${name}: ${value}\r\n`;
  }
  const cookie = stripBerthCookies(cookies);
  if (cookie !== undefined) lines += `Cookie: ${cookie}\r\n`;
  // HTTP/1.0 has no persistent connections unless asked: say close so the app frames its answer.
  if (head.version === '1.0') lines += 'Connection: close\r\n';
  return `${lines}\r\n`;
}

export interface BrowserAnswer {
  /** The head the browser gets (CRLFCRLF included). */
  head: string;
  body: BodyLength;
  /** The browser's connection ends after this answer. */
  closeAfter: boolean;
  /** The connection to the app may carry another request. */
  reusable: boolean;
}

/**
 * A final answer's head for the browser: framable by the IDE only (its frame-ancestors added, the
 * app's X-Frame-Options gone), hop-by-hop headers gone, Connection: close when either side ends.
 */
export function browserAnswer(
  head: ResponseHead,
  request: { method: string; upgrade: boolean; close: boolean },
  ideOrigin: string,
): BrowserAnswer {
  const tokens: string[] = [];
  for (const [name, value] of head.headers) if (name.toLowerCase() === 'connection') tokens.push(value);
  const listed = connectionTokens(tokens);
  const body = responseBodyLength(head, request.method);
  const appCloses =
    body.kind === 'close' || listed.has('close') || (head.version === '1.0' && !listed.has('keep-alive'));
  // A body that runs until close ends the browser's connection too; so does a refused upgrade.
  const closeAfter = request.close || body.kind === 'close' || request.upgrade;
  let lines = `HTTP/1.1 ${head.status} ${head.reason}\r\n`;
  for (const [name, value] of head.headers) {
    const lower = name.toLowerCase();
    if (lower === 'x-frame-options' || lower === 'connection' || lower === 'keep-alive' || lower === 'proxy-connection')
      continue;
    if (isListedByConnection(lower, listed) || isDroppedAnswerHeader(lower)) continue;
    lines += `${name}: ${lower === 'set-cookie' ? hostOnlySetCookie(value) : value}\r\n`;
  }
  lines += `Content-Security-Policy: ${frameAncestors(ideOrigin)}\r\n`;
  if (closeAfter) lines += 'Connection: close\r\n';
  return { head: `${lines}\r\n`, body, closeAfter, reusable: !appCloses && !request.upgrade };
}

/** An informational head (100, 103, a 101 to an upgrade) as the app sent it, but its cookies host-only (and no Clear-Site-Data). */
export function informationalHead(head: ResponseHead): string {
  let lines = `HTTP/${head.version} ${head.status} ${head.reason}\r\n`;
  for (const [name, value] of head.headers) {
    const lower = name.toLowerCase();
    if (!isDroppedAnswerHeader(lower))
      lines += `${name}: ${lower === 'set-cookie' ? hostOnlySetCookie(value) : value}\r\n`;
  }
  return `${lines}\r\n`;
}
