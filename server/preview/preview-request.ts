// What the fast path does with one browser request, decided from its head alone: hand the
// connection to node:http (not a preview host), refuse it (400), answer with a page (a preview
// that is not running, an unknown capability…), or send it to the app as an exchange.
import type { AgentTarget } from './agent-tunnel';
import { appRequestHead, requestFacts } from './head-rewrite';
import { parseRequestHead, requestBodyLength, type BodyLength } from './http-framing';
import type { PageReply } from './preview-pages';

export type PreviewRoute = { page: PageReply } | { target: AgentTarget; port: number; key: string };

/** One request on its way to the app and the answer awaited for it. */
export interface Exchange {
  method: string;
  /** The rewritten head, kept to send again on a fresh tunnel if a pooled one was already closing. */
  head: string;
  body: BodyLength;
  upgrade: boolean;
  closeAfter: boolean;
  port: number;
  target: AgentTarget;
  key: string;
  retried: boolean;
}

export type RequestStart =
  | { kind: 'hand-off' }
  | { kind: 'refuse' }
  | { kind: 'page'; page: PageReply; close: boolean }
  | { kind: 'exchange'; exchange: Exchange };

export interface ConnectionFacts {
  /** Whether a request has named a preview host yet: until then a bad head is node:http's to answer. */
  claimed: boolean;
  /** The browser has ended its side: the connection closes after this answer. */
  clientEnded: boolean;
}

/** Decides from the head's text (without its blank line); `route` is asked only for a well-formed head. */
export function startRequest(
  text: string,
  connection: ConnectionFacts,
  route: (host: string | undefined) => PreviewRoute | null,
): RequestStart {
  let head;
  try {
    head = parseRequestHead(text);
  } catch {
    return connection.claimed ? { kind: 'refuse' } : { kind: 'hand-off' };
  }
  const facts = requestFacts(head);
  // Two Host headers would let the check and the app read different ones (RFC 9112 §3.2: 400).
  if (facts.hosts > 1) return { kind: 'refuse' };
  const routed = route(facts.host);
  if (routed === null) return { kind: 'hand-off' };
  if (head.method === 'CONNECT') return { kind: 'refuse' };
  let body: BodyLength;
  try {
    body = requestBodyLength(head);
  } catch {
    return { kind: 'refuse' };
  }
  const closeAfter = facts.close || connection.clientEnded;
  // Its body (if any) is not read: close after the page rather than skip it.
  if ('page' in routed) return { kind: 'page', page: routed.page, close: closeAfter || body.kind !== 'none' };
  const exchange: Exchange = {
    method: head.method,
    head: appRequestHead(head, facts),
    body,
    upgrade: facts.upgrade,
    closeAfter,
    port: routed.port,
    target: routed.target,
    key: routed.key,
    retried: false,
  };
  return { kind: 'exchange', exchange };
}

/**
 * Methods a request may be sent again for (RFC 9110 §9.2.2) when a reused connection closes
 * before any answer: the app may have acted on the first one (a POST twice is a payment twice).
 */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** Whether an exchange whose reused tunnel closed before any answer may go once more on a fresh one. */
export const maySendAgain = (exchange: Exchange, tunnelReused: boolean): boolean =>
  tunnelReused &&
  !exchange.retried &&
  exchange.body.kind === 'none' &&
  !exchange.upgrade &&
  IDEMPOTENT.has(exchange.method);

/** An uppercase letter: how every HTTP/1 method starts. */
export const isMethodStart = (byte: number): boolean => byte >= 0x41 && byte <= 0x5a;
