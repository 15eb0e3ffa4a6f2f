// A browser connection served by the preview fast path (preview-connection.ts), its lifecycle:
// the socket's listeners and idle timeout, the head timer (slowloris), answers Berth gives itself
// (a page, 400, 408), handing the connection to node:http, and closing at shutdown. The exchange
// flow (requests to the app, answers back) is the subclass's.
import type { Socket } from 'node:net';
import type { AnswerReader } from './answer-reader';
import { Backpressure } from './backpressure';
import type { HeldTunnel } from './held-tunnel';
import { pageBytes, type PageReply } from './preview-pages';
import type { ByteCounter } from './preview-proxy';
import type { Exchange, PreviewRoute } from './preview-request';
import type { TunnelPool } from './tunnel-pool';

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

export const EMPTY = Buffer.alloc(0);

export type Phase = 'head' | 'opening' | 'body' | 'waiting' | 'piping' | 'done';

export interface ServedConnection {
  /** Whether a request is in flight (or the connection is an upgraded pipe): not idle between requests. */
  readonly busy: boolean;
  /** Whether it is over: closed, or handed to node:http (which closes its own at shutdown). */
  readonly done: boolean;
  /** Berth is shutting down: see BrowserConnection.shutdown. */
  shutdown(): void;
}

export abstract class BrowserConnection implements ServedConnection {
  protected phase: Phase = 'head';
  protected pending: Buffer = EMPTY;
  protected abstract readonly tunnel: HeldTunnel;
  protected readonly backpressure = new Backpressure();
  protected exchange: Exchange | undefined;
  protected answer: AnswerReader | undefined;
  protected clientEnded = false;
  /** Whether a request has named a preview host yet: until then a bad head is node:http's to answer. */
  protected claimed = false;
  /** Set while a head has started and not ended. */
  private headTimer: NodeJS.Timeout | undefined;

  constructor(
    protected readonly client: Socket,
    protected readonly deps: PreviewConnectionDeps,
  ) {}

  /** Reads what the browser has sent (in `pending`) as far as the connection's phase allows. */
  protected abstract pump(): void;

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

  private readonly onClientData = (chunk: Buffer): void => {
    this.deps.count('upstream', chunk.length);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pump();
  };

  /** Between exchanges: see HeldTunnel.release (a tunnel paused for this browser is not pooled). */
  protected releaseTunnel(): void {
    this.tunnel.release(!this.backpressure.waitingForClient);
  }

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
    if (inFlight) this.tunnel.detach()?.destroy();
    else this.releaseTunnel();
  };

  private readonly onClientIdle = (): void => {
    // Only between requests (or in a head that never ends): answers may take as long as they take.
    if (this.phase === 'head') this.client.destroy();
  };

  protected handOff(whole: Buffer): void {
    this.stopHeadTimer();
    this.releaseTunnel();
    this.phase = 'done';
    this.stopListening();
    this.client.off('error', this.onClientError);
    this.deps.handOff(this.client, whole);
  }

  /** The connection is no longer read here (an upgraded pipe, or node:http's): its listeners go. */
  protected stopListening(): void {
    this.client.off('data', this.onClientData);
    this.client.off('end', this.onClientEnd);
    this.client.off('close', this.onClientClose);
    this.client.off('timeout', this.onClientIdle);
    this.client.setTimeout(0);
  }

  protected replyPage(page: PageReply, close: boolean): void {
    if (close) return this.replyAndClose(page);
    this.exchange = undefined;
    this.answer = undefined;
    this.phase = 'head';
    this.client.write(pageBytes(page, this.deps.ideOrigin, false));
  }

  protected replyAndClose(page: PageReply): void {
    this.phase = 'done';
    this.tunnel.detach()?.destroy();
    if (this.client.writable) this.client.end(pageBytes(page, this.deps.ideOrigin, true));
    else this.client.destroy();
  }

  protected failExchange(page: PageReply): void {
    if (this.answer?.started) {
      this.tunnel.detach()?.destroy();
      this.client.destroy();
    } else this.replyAndClose(page);
  }

  protected closeClient(): void {
    this.phase = 'done';
    this.client.end();
  }

  protected startHeadTimer(): void {
    if (this.headTimer) return;
    this.headTimer = setTimeout(this.onHeadTimeout, this.deps.headTimeoutMs ?? HEAD_TIMEOUT_MS);
    this.headTimer.unref();
  }

  protected stopHeadTimer(): void {
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
}
