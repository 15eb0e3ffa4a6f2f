// The preview fast path: a browser connection whose first request names a preview host is
// served here, not by node:http. Per request it reads the head (Host check, header rules),
// writes the rewritten head to a tunnel (agent-tunnel.ts) and copies the body; per answer it
// rewrites the head (frame-ancestors, no X-Frame-Options, hop-by-hop) and copies the body,
// following both bodies' framing (http-framing.ts) only to know where the next head starts.
// A connection keeps its tunnel while its requests go to the same preview; between previews,
// and when it closes, the tunnel goes back to the pool. An upgrade (HMR) gets a tunnel of its
// own and, once the app answers 101, becomes a plain pipe. A request for any other host hands
// the connection, at that request, to Berth's own HTTP server.
// This file is the exchange flow; the connection's lifecycle is browser-connection.ts, what a
// request head decides preview-request.ts, the tunnel it holds held-tunnel.ts, flow control
// backpressure.ts, an upgraded pipe upgrade-pipe.ts.
import type { Socket } from 'node:net';
import { TunnelError } from './agent-tunnel';
import { AnswerReader, type AnswerSink } from './answer-reader';
import { BrowserConnection, EMPTY, type PreviewConnectionDeps, type ServedConnection } from './browser-connection';
import { HeldTunnel } from './held-tunnel';
import { BodyScanner, headEnd, MAX_HEAD_BYTES } from './http-framing';
import { badRequestPage, headTooLargePage, portClosedPage, unreachablePage } from './preview-pages';
import { isMethodStart, maySendAgain, startRequest } from './preview-request';
import { pipeUpgraded } from './upgrade-pipe';

export {
  CLIENT_IDLE_MS,
  HEAD_TIMEOUT_MS,
  type PreviewConnectionDeps,
  type ServedConnection,
} from './browser-connection';
export type { PreviewRoute } from './preview-request';

export function servePreviewConnection(client: Socket, deps: PreviewConnectionDeps): ServedConnection {
  const connection = new PreviewConnection(client, deps);
  connection.start();
  return connection;
}

class PreviewConnection extends BrowserConnection {
  protected readonly tunnel: HeldTunnel;
  private requestScanner: BodyScanner | undefined;

  constructor(client: Socket, deps: PreviewConnectionDeps) {
    super(client, deps);
    this.tunnel = new HeldTunnel(deps.pool, {
      data: this.onTunnelData,
      end: this.onTunnelEnd,
      close: this.onTunnelClose,
      error: this.onTunnelError,
    });
  }

  // ── browser → tunnel ──

  protected pump(): void {
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
          this.onRequestHead(text, whole);
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
    if (part.length > 0 && !this.tunnel.socket!.write(part))
      this.backpressure.holdClient(this.client, this.tunnel.socket, () => this.phase === 'done');
    if (scanner.done) {
      this.requestScanner = undefined;
      this.phase = 'waiting';
      if (this.answer?.done) this.finishExchange();
    }
    return taken;
  }

  private onRequestHead(text: string, whole: Buffer): void {
    const facts = { claimed: this.claimed, clientEnded: this.clientEnded };
    const start = startRequest(text, facts, this.deps.route);
    switch (start.kind) {
      case 'hand-off':
        return this.handOff(whole);
      case 'refuse':
        return this.replyAndClose(badRequestPage);
      case 'page':
        this.claimed = true;
        return this.replyPage(start.page, start.close);
      case 'exchange':
        this.claimed = true;
        this.exchange = start.exchange;
        return this.useTunnel(start.exchange.key, start.exchange.upgrade);
    }
  }

  /** The connection's own tunnel if it fits, else a pooled one, else a new one (async). */
  private useTunnel(key: string, fresh: boolean): void {
    if (!fresh && this.tunnel.fits(key)) {
      this.tunnel.reused = true;
      return this.send();
    }
    this.releaseTunnel();
    if (!fresh && this.tunnel.takePooled(key)) return this.send();
    this.openTunnel();
  }

  private openTunnel(): void {
    const exchange = this.exchange!;
    this.phase = 'opening';
    this.client.pause();
    this.deps.pool.openNew(exchange.target, exchange.port, exchange.key).then(
      (socket) => {
        if (this.phase !== 'opening') return void socket.destroy();
        this.tunnel.attach(socket, exchange.key, false);
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
    this.tunnel.socket!.write(exchange.head, 'latin1');
    if (exchange.body.kind === 'none') this.phase = 'waiting';
    else {
      this.requestScanner = new BodyScanner(exchange.body);
      this.phase = 'body';
    }
  }

  // ── tunnel → browser ──
  private readonly onTunnelData = (chunk: Buffer): void => {
    this.deps.count('downstream', chunk.length);
    const answer = this.answer;
    if (!answer || answer.done || (this.phase !== 'waiting' && this.phase !== 'body')) {
      // Bytes nobody asked for: this tunnel cannot be trusted with another request.
      this.tunnel.detach()?.destroy();
      if (this.phase === 'waiting' || this.phase === 'body') this.client.destroy();
      return;
    }
    try {
      answer.feed(chunk);
    } catch {
      // A head or body this cannot frame: nothing more can be said on this connection.
      this.tunnel.detach()?.destroy();
      if (answer.started) this.client.destroy();
      else this.replyAndClose(unreachablePage());
    }
  };

  private readonly answerSink: AnswerSink = {
    write: (bytes) => {
      if (!this.client.write(bytes)) this.backpressure.holdTunnel(this.client, this.tunnel.socket);
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
      this.tunnel.detach()?.destroy();
      this.closeClient();
      return;
    }
    this.finishExchange();
  }

  private finishExchange(): void {
    const answer = this.answer!;
    this.answer = undefined;
    this.exchange = undefined;
    this.tunnel.markIdle();
    if (!answer.reusable) this.tunnel.detach()?.destroy();
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
      this.tunnel.detach()?.destroy();
      this.closeClient();
    }
  };

  private readonly onTunnelError = (): void => undefined;

  private readonly onTunnelClose = (): void => {
    this.tunnel.detach();
    const exchange = this.exchange;
    const answer = this.answer;
    if (this.phase === 'head' || this.phase === 'done' || !exchange || !answer || answer.done) return;
    if (answer.started) return void this.client.destroy();
    // A pooled tunnel the app closed as we reused it: once more on a fresh one, if nothing was lost.
    if (maySendAgain(exchange, this.tunnel.reused)) {
      exchange.retried = true;
      this.openTunnel();
      return;
    }
    this.replyAndClose(unreachablePage());
  };

  // ── upgrades ──

  private startPiping(): void {
    this.phase = 'piping';
    const tunnel = this.tunnel.detach()!;
    this.stopListening();
    const pending = this.pending;
    this.pending = EMPTY;
    pipeUpgraded(this.client, tunnel, pending, this.deps.count);
  }
}
