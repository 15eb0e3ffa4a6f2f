// Just enough HTTP/1.1 for the preview fast path (RFC 9112): split a message head into its
// lines, and follow a body through a byte stream to find where it ends (Content-Length,
// chunked, or until close) without copying it. Strict on purpose: whatever this reads
// differently from the dev server could smuggle a request past the header rules, so anything
// ambiguous (bare CR or LF, folded lines, both Content-Length and Transfer-Encoding, a bad
// chunk size) is an error and the connection is closed.

/** The most a head may take; Node's own limit is 16 KiB, so the dev server would refuse more anyway. */
export const MAX_HEAD_BYTES = 32 * 1024;

export type Header = [name: string, value: string];

export interface RequestHead {
  method: string;
  target: string;
  version: '1.0' | '1.1';
  headers: Header[];
}

export interface ResponseHead {
  version: '1.0' | '1.1';
  status: number;
  reason: string;
  headers: Header[];
}

export class FramingError extends Error {}

const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([^\s]+) HTTP\/1\.([01])$/;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;
/**
 * The header lines of a head, checked in one pass: token names right before the colon, values of
 * visible characters, spaces, tabs and obs-text, each line ended by CRLF (no bare CR or LF, no
 * folding, no controls).
 */
const HEADER_LINES = /^(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*\r\n)*$/;

/** `text` is the head without its final CRLFCRLF, decoded as latin1 (bytes stay bytes). */
function splitHead(text: string): [string, Header[]] {
  const firstEnd = text.indexOf('\r\n');
  if (firstEnd < 0) return [text, []];
  // The last line gets its CRLF back so every line matches the same pattern.
  const lines = `${text.slice(firstEnd + 2)}\r\n`;
  if (!HEADER_LINES.test(lines)) throw new FramingError('malformed header line');
  const headers: Header[] = [];
  for (let at = 0; at < lines.length;) {
    const end = lines.indexOf('\r\n', at);
    const colon = lines.indexOf(':', at);
    headers.push([lines.slice(at, colon), lines.slice(colon + 1, end).trim()]);
    at = end + 2;
  }
  return [text.slice(0, firstEnd), headers];
}

export function parseRequestHead(text: string): RequestHead {
  const [first, headers] = splitHead(text);
  const match = REQUEST_LINE.exec(first);
  if (!match) throw new FramingError('malformed request line');
  return { method: match[1]!, target: match[2]!, version: match[3] === '1' ? '1.1' : '1.0', headers };
}

export function parseResponseHead(text: string): ResponseHead {
  const [first, headers] = splitHead(text);
  const match = STATUS_LINE.exec(first);
  if (!match) throw new FramingError('malformed status line');
  return { version: match[1] === '1' ? '1.1' : '1.0', status: Number(match[2]), reason: match[3] ?? '', headers };
}

export type BodyLength = { kind: 'none' } | { kind: 'length'; bytes: number } | { kind: 'chunked' } | { kind: 'close' };

const NO_BODY: BodyLength = { kind: 'none' };

/** From Content-Length / Transfer-Encoding; `otherwise` when neither is there. */
function declaredLength(headers: readonly Header[], otherwise: BodyLength, isRequest: boolean): BodyLength {
  let length: string | undefined;
  let encoding: string | undefined;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-length') {
      if (length !== undefined && length !== value) throw new FramingError('conflicting Content-Length');
      length = value;
    } else if (lower === 'transfer-encoding') encoding = encoding === undefined ? value : `${encoding}, ${value}`;
  }
  if (encoding !== undefined) {
    if (length !== undefined) throw new FramingError('both Content-Length and Transfer-Encoding');
    const codings = encoding.toLowerCase().split(',');
    if (codings.at(-1)!.trim() === 'chunked') return { kind: 'chunked' };
    // A request must end with chunked to be framed at all; a response then runs until close.
    if (isRequest) throw new FramingError('request Transfer-Encoding not ending in chunked');
    return { kind: 'close' };
  }
  if (length !== undefined) {
    if (!/^\d{1,15}$/.test(length)) throw new FramingError('bad Content-Length');
    const bytes = Number(length);
    return bytes === 0 ? NO_BODY : { kind: 'length', bytes };
  }
  return otherwise;
}

export const requestBodyLength = (head: RequestHead): BodyLength => declaredLength(head.headers, NO_BODY, true);

/** RFC 9112 §6.3: HEAD answers, 1xx, 204 and 304 have no body whatever they declare. */
export function responseBodyLength(head: ResponseHead, requestMethod: string): BodyLength {
  if (requestMethod === 'HEAD' || head.status < 200 || head.status === 204 || head.status === 304) return NO_BODY;
  return declaredLength(head.headers, { kind: 'close' }, false);
}

const enum Chunk {
  Size,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  Trailer,
  TrailerLf,
  EndLf,
  Done,
}

const CR = 13;
const LF = 10;

/** Follows one body through the bytes it arrives in; `take` says how many of them are still this body's. */
export class BodyScanner {
  private remaining = 0;
  private state = Chunk.Size;
  private sizeDigits = 0;
  private finished: boolean;

  constructor(private readonly length: BodyLength) {
    this.finished = length.kind === 'none';
    if (length.kind === 'length') this.remaining = length.bytes;
  }

  get done(): boolean {
    return this.finished;
  }

  /** How many bytes of `chunk` from `offset` belong to the body (the body ends inside when `done` turns true). */
  take(chunk: Buffer, offset: number): number {
    const available = chunk.length - offset;
    switch (this.length.kind) {
      case 'none':
        return 0;
      case 'close':
        return available;
      case 'length': {
        const taken = Math.min(available, this.remaining);
        this.remaining -= taken;
        if (this.remaining === 0) this.finished = true;
        return taken;
      }
      case 'chunked':
        return this.takeChunked(chunk, offset) - offset;
    }
  }

  private takeChunked(chunk: Buffer, start: number): number {
    let at = start;
    while (at < chunk.length && !this.finished) {
      if (this.state === Chunk.Data) {
        const taken = Math.min(chunk.length - at, this.remaining);
        this.remaining -= taken;
        at += taken;
        if (this.remaining === 0) this.state = Chunk.DataCr;
        continue;
      }
      const byte = chunk[at++]!;
      switch (this.state) {
        case Chunk.Size: {
          const digit = hexValue(byte);
          if (digit >= 0) {
            if (++this.sizeDigits > 12) throw new FramingError('chunk size too large');
            this.remaining = this.remaining * 16 + digit;
          } else if (this.sizeDigits === 0) throw new FramingError('bad chunk size');
          else if (byte === CR) this.state = Chunk.SizeLf;
          else if (byte === 0x3b /* ; */ || byte === 0x20 || byte === 0x09) this.state = Chunk.Extension;
          else throw new FramingError('bad chunk size');
          break;
        }
        case Chunk.Extension:
          if (byte === CR) this.state = Chunk.SizeLf;
          else if (byte === LF || byte < 0x09 || (byte > 0x09 && byte < 0x20) || byte === 0x7f)
            throw new FramingError('bad chunk extension');
          break;
        case Chunk.SizeLf:
          if (byte !== LF) throw new FramingError('bare CR after a chunk size');
          this.sizeDigits = 0;
          this.state = this.remaining === 0 ? Chunk.TrailerStart : Chunk.Data;
          break;
        case Chunk.DataCr:
          if (byte !== CR) throw new FramingError('chunk longer than its size');
          this.state = Chunk.DataLf;
          break;
        case Chunk.DataLf:
          if (byte !== LF) throw new FramingError('bare CR after chunk data');
          this.state = Chunk.Size;
          break;
        case Chunk.TrailerStart:
          if (byte === CR) this.state = Chunk.EndLf;
          else if (byte === LF) throw new FramingError('bare LF in trailers');
          else this.state = Chunk.Trailer;
          break;
        case Chunk.Trailer:
          if (byte === CR) this.state = Chunk.TrailerLf;
          else if (byte === LF) throw new FramingError('bare LF in trailers');
          break;
        case Chunk.TrailerLf:
          if (byte !== LF) throw new FramingError('bare CR in trailers');
          this.state = Chunk.TrailerStart;
          break;
        case Chunk.EndLf:
          if (byte !== LF) throw new FramingError('bare CR at the end of a chunked body');
          this.state = Chunk.Done;
          this.finished = true;
          break;
        default:
          break;
      }
    }
    return at;
  }
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/** Where the head ends in `buffer` (the index just past CRLFCRLF), or -1. */
export function headEnd(buffer: Buffer): number {
  const at = buffer.indexOf('\r\n\r\n', 0, 'latin1');
  return at < 0 ? -1 : at + 4;
}
