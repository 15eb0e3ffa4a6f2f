// One answer from the app on the preview fast path, read as its bytes arrive from the tunnel:
// informational heads (100, 103) passed on, the final head rewritten (head-rewrite.ts) and sent
// with the body's first bytes in one write, the body followed to its end (http-framing.ts), and
// a 101 to an upgrade handed back whole. Throws FramingError on what it cannot frame.
import { BodyScanner, FramingError, headEnd, MAX_HEAD_BYTES, parseResponseHead } from './http-framing';
import { browserAnswer, informationalHead } from './head-rewrite';

export interface AnswerSink {
  /** Bytes for the browser, in order. */
  write(bytes: Buffer): void;
  /** The app switched protocols: its head and whatever followed, for the browser as they are. */
  upgraded(bytes: Buffer): void;
  /** The answer's last byte has been written. */
  complete(): void;
}

const EMPTY = Buffer.alloc(0);

export class AnswerReader {
  /** Its final head has been rewritten (bytes may be on their way to the browser). */
  started = false;
  done = false;
  /** The browser's connection ends after it; may be set until the head starts. */
  closeAfter: boolean;
  /** The connection to the app may carry another request. */
  reusable: boolean;
  /** The body runs until the app closes the connection. */
  runsToClose = false;
  private pending: Buffer = EMPTY;
  private scanner: BodyScanner | undefined;
  /** The rewritten head, written with the first body bytes. */
  private headOut: string | undefined;

  constructor(
    private readonly request: { method: string; upgrade: boolean; closeAfter: boolean },
    private readonly ideOrigin: string,
    private readonly sink: AnswerSink,
  ) {
    this.closeAfter = request.closeAfter;
    this.reusable = !request.upgrade;
  }

  feed(chunk: Buffer): void {
    try {
      this.read(chunk);
    } catch (error) {
      this.headOut = undefined;
      throw error;
    }
    this.flushHead();
  }

  /** The app closed its connection: true when that is the end of a body that runs until close. */
  endsByClose(): boolean {
    if (!this.started || !this.runsToClose || this.done) return false;
    this.done = true;
    return true;
  }

  private read(chunk: Buffer): void {
    let data = chunk;
    let offset = 0;
    for (;;) {
      if (!this.scanner) {
        const rest = offset === 0 ? data : data.subarray(offset);
        const buffered = this.pending.length === 0 ? rest : Buffer.concat([this.pending, rest]);
        const end = headEnd(buffered);
        if (end < 0) {
          if (buffered.length > MAX_HEAD_BYTES) throw new FramingError('answer head too large');
          this.pending = buffered;
          return;
        }
        this.pending = EMPTY;
        data = buffered;
        offset = end;
        if (this.startHead(buffered, end)) return;
        continue;
      }
      if (offset < data.length) {
        const taken = this.scanner.take(data, offset);
        if (taken > 0)
          this.writeBody(offset === 0 && taken === data.length ? data : data.subarray(offset, offset + taken));
        offset += taken;
      }
      if (!this.scanner.done) return;
      // Anything after the answer's end was never asked for.
      if (offset < data.length) this.reusable = false;
      this.done = true;
      this.flushHead();
      this.sink.complete();
      return;
    }
  }

  /** Handles a head; true when the rest of the bytes are not this reader's (an upgrade). */
  private startHead(buffered: Buffer, end: number): boolean {
    const head = parseResponseHead(buffered.toString('latin1', 0, end - 4));
    if (head.status === 101) {
      if (!this.request.upgrade) throw new FramingError('101 without an upgrade');
      this.sink.upgraded(Buffer.concat([Buffer.from(informationalHead(head), 'latin1'), buffered.subarray(end)]));
      return true;
    }
    if (head.status < 200) {
      // 100 Continue, 103 Early Hints: passed on (cookies host-only); the real answer follows.
      this.sink.write(Buffer.from(informationalHead(head), 'latin1'));
      return false;
    }
    const rewritten = browserAnswer(
      head,
      { method: this.request.method, upgrade: this.request.upgrade, close: this.closeAfter },
      this.ideOrigin,
    );
    if (!rewritten.reusable) this.reusable = false;
    this.closeAfter = rewritten.closeAfter;
    this.runsToClose = rewritten.body.kind === 'close';
    this.headOut = rewritten.head;
    this.started = true;
    this.scanner = new BodyScanner(rewritten.body);
    return false;
  }

  private writeBody(part: Buffer): void {
    const head = this.headOut;
    if (head === undefined) return this.sink.write(part);
    this.headOut = undefined;
    const bytes = Buffer.allocUnsafe(head.length + part.length);
    bytes.write(head, 0, 'latin1');
    part.copy(bytes, head.length);
    this.sink.write(bytes);
  }

  private flushHead(): void {
    const head = this.headOut;
    if (head === undefined) return;
    this.headOut = undefined;
    this.sink.write(Buffer.from(head, 'latin1'));
  }
}
