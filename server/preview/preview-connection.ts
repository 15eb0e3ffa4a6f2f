// The preview fast path: a browser connection whose first request names a preview host is
// served here, not by node:http. Per request it reads the head (Host check, header rules),
// writes the rewritten head to a tunnel (agent-tunnel.ts) and copies the body; per answer it
// rewrites the head (frame-ancestors, no X-Frame-Options, hop-by-hop) and copies the body,
// following both bodies' framing (http-framing.ts) only to know where the next head starts.
// A connection keeps its tunnel while its requests go to the same preview; between previews,
// and when it closes, the tunnel goes back to the pool. An upgrade (HMR) gets a tunnel of its
// own and, once the app answers 101, becomes a plain pipe. A request for any other host hands
// the connection, at that request, to Berth's own HTTP server.
import type { Socket } from 'node:net';
import type { AgentTarget } from './agent-tunnel';
import { TunnelError } from './agent-tunnel';
import {
  BodyScanner,
  headEnd,
  MAX_HEAD_BYTES,
  parseRequestHead,
  requestBodyLength,
  type BodyLength,
} from './http-framing';
import { AnswerReader, type AnswerSink } from './answer-reader';
import { appRequestHead, requestFacts } from './head-rewrite';
import {
  badRequestPage,
  headTooLargePage,
  pageBytes,
  portClosedPage,
  unreachablePage,
  type PageReply,
} from './preview-pages';
import type { ByteCounter } from './preview-proxy';
import type { TunnelPool } from './tunnel-pool';
import { TUNNEL_IDLE_MS } from './tunnel-pool';

export type PreviewRoute = { page: PageReply } | { target: AgentTarget; port: number; key: string };

export interface PreviewConnectionDeps {
  /**
   * Where a request for this Host goes, checked on every request (revocation is immediate): the
   * page to answer, the tunnel to use, or null when the Host is not a preview host at all.
   */
  route(host: string | undefined): PreviewRoute | null;
  pool: TunnelPool;
  ideOrigin: string;
  count: ByteCounter;
  /** Gives the connection to Berth's own HTTP server, `buffered` being bytes already read from it. */
  handOff(socket: Socket, buffered: Buffer): void;
  /** How long a head may take from its first byte (default HEAD_TIMEOUT_MS). */
  headTimeoutMs?: number;
}

/** A browser connection idle (or stuck in a head) this long is closed, as node:http would. */
export const CLIENT_IDLE_MS = 60_000;
/**
 * A head still unfinished this long after its first byte is refused with 408, as node:http's
 * headersTimeout would: the idle timer alone lets a head dribbled in a byte at a time hold the
 * connection forever (slowloris), and every connection to Berth starts here.
 */
export const HEAD_TIMEOUT_MS = 60_000;
/** At shutdown, how long an ended connection may take to say goodbye before it is destroyed. */
const SHUTDOWN_GRACE_MS = 250;

const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

const EMPTY = Buffer.alloc(0);

type Phase = 'head' | 'opening' | 'body' | 'waiting' | 'piping' | 'done';

interface Exchange {
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

/**
 * Methods a request may be sent again for (RFC 9110 §9.2.2) when a reused connection closes
 * before any answer: the app may have acted on the first one (a POST twice is a payment twice).
 */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** An uppercase letter: how every HTTP/1 method starts. */
const isMethodStart = (byte: number): boolean => byte >= 0x41 && byte <= 0x5a;

export interface ServedConnection {
  /** Whether a request is in flight (or the connection is an upgraded pipe): not idle between requests. */
  readonly busy: boolean;
  /** Whether it is over: closed, or handed to node:http (which closes its own at shutdown). */
  readonly done: boolean;
  /** Berth is shutting down: see PreviewConnection.shutdown. */
  shutdown(): void;
}

export function servePreviewConnection(client: Socket, deps: PreviewConnectionDeps): ServedConnection {
  const connection = new PreviewConnection(client, deps);
  connection.start();
  return connection;
}

class PreviewConnection {
  private phase: Phase = 'head';
  private pending: Buffer = EMPTY;
  private tunnel: Socket | undefined;
  private tunnelKey = '';
  private tunnelReused = false;
  private tunnelIdleSince = 0;
  private exchange: Exchange | undefined;
  private answer: AnswerReader | undefined;
  private requestScanner: BodyScanner | undefined;
  private clientEnded = false;
  /** Whether a request has named a preview host yet: until then a bad head is node:http's to answer. */
  private claimed = false;
  /** Set while a head has started and not ended. */
  private headTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: Socket,
    private readonly deps: PreviewConnectionDeps,
  ) {}

  get busy(): boolean {
    return this.phase !== 'head' && this.phase !== 'done';
  }

  get done(): boolean {
    return this.phase === 'done';
  }

  /**
   * Berth is shutting down. node:http's close() knows nothing of connections served here, so
   * they are closed here: between requests at once, an upgraded pipe (HMR) ended (and destroyed
   * shortly after, for a peer that never ends its side), a request in flight after its answer.
   */
  shutdown(): void {
    switch (this.phase) {
      case 'head':
        this.stopHeadTimer();
        this.closeClient();
        setTimeout(() => this.client.destroy(), SHUTDOWN_GRACE_MS).unref();
        return;
      case 'piping':
        this.client.end();
        setTimeout(() => this.client.destroy(), SHUTDOWN_GRACE_MS).unref();
        return;
      case 'opening':
      case 'body':
      case 'waiting':
        if (this.exchange) this.exchange.closeAfter = true;
        if (this.answer) this.answer.closeAfter = true;
        return;
      case 'done':
        return;
    }
  }

  start(): void {
    this.client.setNoDelay(true);
    this.client.on('data', this.onClientData);
    this.client.on('end', this.onClientEnd);
    this.client.on('close', this.onClientClose);
    this.client.on('error', this.onClientError);
    this.client.on('timeout', this.onClientIdle);
    this.client.setTimeout(CLIENT_IDLE_MS);
  }

  // ── browser → tunnel ──

  private readonly onClientData = (chunk: Buffer): void => {
    this.deps.count('upstream', chunk.length);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pump();
  };

  private pump(): void {
    for (;;) {
      switch (this.phase) {
        case 'head': {
          if (this.pending.length === 0) return;
          // Not an HTTP/1 request line (TLS, HTTP/2 preface…): not ours to wait for.
          if (!this.claimed && !isMethodStart(this.pending[0]!)) return this.handOff(this.pending);
          const end = headEnd(this.pending);
          if (end < 0) {
            if (this.pending.length <= MAX_HEAD_BYTES) return this.startHeadTimer();
            this.stopHeadTimer();
            if (this.claimed) this.replyAndClose(headTooLargePage);
            else this.handOff(this.pending);
            return;
          }
          this.stopHeadTimer();
          const whole = this.pending;
          const text = whole.toString('latin1', 0, end - 4);
          this.pending = whole.subarray(end);
          this.startRequest(text, whole);
          break;
        }
        case 'body': {
          if (this.pending.length === 0) return;
          const taken = this.takeRequestBody();
          if (taken < 0) return;
          break;
        }
        case 'waiting':
          // A pipelined request waits for the answer before it.
          if (this.pending.length > 0) this.client.pause();
          return;
        case 'opening':
        case 'piping':
        case 'done':
          return;
      }
    }
  }

  /** Copies body bytes to the tunnel; -1 when nothing more can be done now. */
  private takeRequestBody(): number {
    const scanner = this.requestScanner!;
    let taken: number;
    try {
      taken = scanner.take(this.pending, 0);
    } catch {
      this.failExchange(badRequestPage);
      return -1;
    }
    const part = taken === this.pending.length ? this.pending : this.pending.subarray(0, taken);
    this.pending = taken === this.pending.length ? EMPTY : this.pending.subarray(taken);
    if (part.length > 0 && !this.tunnel!.write(part)) this.waitForTunnelDrain();
    if (scanner.done) {
      this.requestScanner = undefined;
      this.phase = 'waiting';
      if (this.answer?.done) this.finishExchange();
    }
    return taken;
  }

  private startRequest(text: string, whole: Buffer): void {
    let head;
    try {
      head = parseRequestHead(text);
    } catch {
      return this.claimed ? this.replyAndClose(badRequestPage) : this.handOff(whole);
    }
    const facts = requestFacts(head);
    // Two Host headers would let the check and the app read different ones (RFC 9112 §3.2: 400).
    if (facts.hosts > 1) return this.replyAndClose(badRequestPage);
    const route = this.deps.route(facts.host);
    if (route === null) return this.handOff(whole);
    this.claimed = true;
    if (head.method === 'CONNECT') return this.replyAndClose(badRequestPage);
    let body: BodyLength;
    try {
      body = requestBodyLength(head);
    } catch {
      return this.replyAndClose(badRequestPage);
    }
    const closeAfter = facts.close || this.clientEnded;
    // Its body (if any) is not read: close after the page rather than skip it.
    if ('page' in route) return this.replyPage(route.page, closeAfter || body.kind !== 'none');
    const upgrade = facts.upgrade;

    this.exchange = {
      method: head.method,
      head: appRequestHead(head, facts),
      body,
      upgrade,
      closeAfter,
      port: route.port,
      target: route.target,
      key: route.key,
      retried: false,
    };
    this.useTunnel(route.key, upgrade);
  }

  /** The connection's own tunnel if it fits, else a pooled one, else a new one (async). */
  private useTunnel(key: string, fresh: boolean): void {
    const fits =
      this.tunnel !== undefined &&
      !fresh &&
      this.tunnelKey === key &&
      performance.now() - this.tunnelIdleSince < TUNNEL_IDLE_MS;
    if (fits) {
      this.tunnelReused = true;
      return this.send();
    }
    this.releaseTunnel();
    const pooled = fresh ? undefined : this.deps.pool.take(key);
    if (pooled) {
      this.attach(pooled, key, true);
      return this.send();
    }
    this.openTunnel();
  }

  private openTunnel(): void {
    const exchange = this.exchange!;
    this.phase = 'opening';
    this.client.pause();
    this.deps.pool.openNew(exchange.target, exchange.port, exchange.key).then(
      (socket) => {
        if (this.phase !== 'opening') return void socket.destroy();
        this.attach(socket, exchange.key, false);
        this.client.resume();
        this.send();
        this.pump();
      },
      (error: Error) => {
        if (this.phase !== 'opening') return;
        const page =
          error instanceof TunnelError && error.code === 'port_closed'
            ? portClosedPage(exchange.port)
            : unreachablePage();
        this.client.resume();
        this.replyPage(page, exchange.closeAfter || exchange.body.kind !== 'none');
        this.pump();
      },
    );
  }

  private send(): void {
    const exchange = this.exchange!;
    this.answer = new AnswerReader(exchange, this.deps.ideOrigin, this.answerSink);
    this.tunnel!.write(exchange.head, 'latin1');
    if (exchange.body.kind === 'none') this.phase = 'waiting';
    else {
      this.requestScanner = new BodyScanner(exchange.body);
      this.phase = 'body';
    }
  }

  // ── tunnel → browser ──

  private attach(socket: Socket, key: string, reused: boolean): void {
    this.tunnel = socket;
    this.tunnelKey = key;
    this.tunnelReused = reused;
    socket.on('data', this.onTunnelData);
    socket.on('end', this.onTunnelEnd);
    socket.on('close', this.onTunnelClose);
    socket.on('error', this.onTunnelError);
  }

  private detach(): Socket | undefined {
    const socket = this.tunnel;
    if (!socket) return undefined;
    socket.off('data', this.onTunnelData);
    socket.off('end', this.onTunnelEnd);
    socket.off('close', this.onTunnelClose);
    socket.off('error', this.onTunnelError);
    this.tunnel = undefined;
    return socket;
  }

  /**
   * Between exchanges: a tunnel still fresh goes to the pool, any other is closed; so is one paused
   * until this browser reads (it may never: the next connection to take it would wait forever).
   */
  private releaseTunnel(): void {
    const socket = this.detach();
    if (!socket) return;
    if (!this.waitingForClient && performance.now() - this.tunnelIdleSince < TUNNEL_IDLE_MS)
      this.deps.pool.give(this.tunnelKey, socket);
    else socket.destroy();
  }

  private readonly onTunnelData = (chunk: Buffer): void => {
    this.deps.count('downstream', chunk.length);
    const answer = this.answer;
    if (!answer || answer.done || (this.phase !== 'waiting' && this.phase !== 'body')) {
      // Bytes nobody asked for: this tunnel cannot be trusted with another request.
      this.detach()?.destroy();
      if (this.phase === 'waiting' || this.phase === 'body') this.client.destroy();
      return;
    }
    try {
      answer.feed(chunk);
    } catch {
      // A head or body this cannot frame: nothing more can be said on this connection.
      this.detach()?.destroy();
      if (answer.started) this.client.destroy();
      else this.replyAndClose(unreachablePage());
    }
  };

  private readonly answerSink: AnswerSink = {
    write: (bytes) => {
      if (!this.client.write(bytes)) this.waitForClientDrain();
    },
    upgraded: (bytes) => {
      this.client.write(bytes);
      this.startPiping();
    },
    complete: () => this.answerComplete(),
  };

  private answerComplete(): void {
    if (this.phase === 'body') {
      // Answered before the request's body was all sent (413, a redirect…): stop here.
      this.detach()?.destroy();
      this.closeClient();
      return;
    }
    this.finishExchange();
  }

  private finishExchange(): void {
    const answer = this.answer!;
    this.answer = undefined;
    this.exchange = undefined;
    this.tunnelIdleSince = performance.now();
    if (!answer.reusable) this.detach()?.destroy();
    if (answer.closeAfter) {
      this.releaseTunnel();
      this.closeClient();
      return;
    }
    this.phase = 'head';
    if (this.client.isPaused()) this.client.resume();
    this.pump();
  }

  private readonly onTunnelEnd = (): void => {
    // A body that runs until close is complete now; anything else in flight is cut short (close).
    if (this.answer?.endsByClose()) {
      this.detach()?.destroy();
      this.closeClient();
    }
  };

  private readonly onTunnelError = (): void => undefined;

  private readonly onTunnelClose = (): void => {
    this.detach();
    const exchange = this.exchange;
    const answer = this.answer;
    if (this.phase === 'head' || this.phase === 'done' || !exchange || !answer || answer.done) return;
    if (answer.started) return void this.client.destroy();
    // A pooled tunnel the app closed as we reused it: once more on a fresh one, if nothing was lost.
    if (
      this.tunnelReused &&
      !exchange.retried &&
      exchange.body.kind === 'none' &&
      !exchange.upgrade &&
      IDEMPOTENT.has(exchange.method)
    ) {
      exchange.retried = true;
      this.openTunnel();
      return;
    }
    this.replyAndClose(unreachablePage());
  };

  // ── upgrades ──

  private startPiping(): void {
    this.phase = 'piping';
    const tunnel = this.detach()!;
    this.client.off('data', this.onClientData);
    this.client.off('end', this.onClientEnd);
    this.client.off('close', this.onClientClose);
    this.client.off('timeout', this.onClientIdle);
    this.client.setTimeout(0);
    if (this.pending.length > 0) tunnel.write(this.pending);
    this.pending = EMPTY;
    const { count } = this.deps;
    tunnel.on('data', (chunk: Buffer) => count('downstream', chunk.length));
    this.client.on('data', (chunk: Buffer) => count('upstream', chunk.length));
    tunnel.on('error', () => this.client.destroy());
    this.client.on('close', () => tunnel.destroy());
    tunnel.on('close', () => this.client.destroy());
    tunnel.pipe(this.client);
    this.client.pipe(tunnel);
    if (this.client.isPaused()) this.client.resume();
  }

  // ── the browser's side ──

  private readonly onClientEnd = (): void => {
    this.clientEnded = true;
    if (this.phase === 'head' && this.pending.length === 0) this.closeClient();
    else if (this.exchange) this.exchange.closeAfter = true;
    if (this.answer) this.answer.closeAfter = true;
  };

  private readonly onClientError = (): void => undefined;

  private readonly onClientClose = (): void => {
    this.stopHeadTimer();
    const inFlight = this.phase !== 'head' && this.phase !== 'done';
    this.phase = 'done';
    if (inFlight) this.detach()?.destroy();
    else this.releaseTunnel();
  };

  private readonly onClientIdle = (): void => {
    // Only between requests (or in a head that never ends): answers may take as long as they take.
    if (this.phase === 'head') this.client.destroy();
  };

  private handOff(whole: Buffer): void {
    this.stopHeadTimer();
    this.releaseTunnel();
    this.phase = 'done';
    this.client.off('data', this.onClientData);
    this.client.off('end', this.onClientEnd);
    this.client.off('close', this.onClientClose);
    this.client.off('error', this.onClientError);
    this.client.off('timeout', this.onClientIdle);
    this.client.setTimeout(0);
    this.deps.handOff(this.client, whole);
  }

  private replyPage(page: PageReply, close: boolean): void {
    if (close) return this.replyAndClose(page);
    this.exchange = undefined;
    this.answer = undefined;
    this.phase = 'head';
    this.client.write(pageBytes(page, this.deps.ideOrigin, false));
  }

  private replyAndClose(page: PageReply): void {
    this.phase = 'done';
    this.detach()?.destroy();
    if (this.client.writable) this.client.end(pageBytes(page, this.deps.ideOrigin, true));
    else this.client.destroy();
  }

  private failExchange(page: PageReply): void {
    if (this.answer?.started) {
      this.detach()?.destroy();
      this.client.destroy();
    } else this.replyAndClose(page);
  }

  private closeClient(): void {
    this.phase = 'done';
    this.client.end();
  }

  private startHeadTimer(): void {
    if (this.headTimer) return;
    this.headTimer = setTimeout(this.onHeadTimeout, this.deps.headTimeoutMs ?? HEAD_TIMEOUT_MS);
    this.headTimer.unref();
  }

  private stopHeadTimer(): void {
    clearTimeout(this.headTimer);
    this.headTimer = undefined;
  }

  private readonly onHeadTimeout = (): void => {
    this.headTimer = undefined;
    if (this.phase !== 'head') return;
    this.phase = 'done';
    this.releaseTunnel();
    if (this.client.writable) this.client.end(REQUEST_TIMEOUT);
    else this.client.destroy();
  };

  // ── backpressure ──

  private waitingForTunnel = false;
  private waitingForClient = false;

  private waitForTunnelDrain(): void {
    if (this.waitingForTunnel || !this.tunnel) return;
    this.waitingForTunnel = true;
    this.client.pause();
    this.tunnel.once('drain', () => {
      this.waitingForTunnel = false;
      if (this.phase !== 'done') this.client.resume();
    });
  }

  private waitForClientDrain(): void {
    if (this.waitingForClient || !this.tunnel) return;
    this.waitingForClient = true;
    const tunnel = this.tunnel;
    tunnel.pause();
    this.client.once('drain', () => {
      this.waitingForClient = false;
      tunnel.resume();
    });
  }
}
