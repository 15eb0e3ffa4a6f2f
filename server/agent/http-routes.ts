// The agent's HTTP routes (the secret is checked before these run): health, file content and
// snapshot archives (snapshot/archive-routes.ts).
//   GET /fs/content?path=P              → raw bytes, X-Berth-Version, Content-Length
//   PUT /fs/content?path=P&maxBytes=N[&mode=755] → {version, size}; If-Match / If-None-Match: *
//   POST|PUT /snapshot/archive          → tar out | tar in
// Errors answer JSON {error: code, message} with AGENT_FILE_ERROR_STATUS's status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AGENT_FILE_ERROR_STATUS, type AgentHealth } from '../contracts/agent';
import { ConflictError, FileWriter, openForRead, type WritePrecondition } from './fs/content';
import { FsError, toFsError } from './fs/errors';
import type { PathGuard } from './fs/path-guard';
import { CLOCK_SLACK_MS, sweepStaleTempFiles } from './fs/temp-sweep';
import { createSnapshotArchiveRoute } from './snapshot/archive-routes';

/** Upper bound when the caller names none (the server always sends its own limit). */
export const DEFAULT_MAX_WRITE_BYTES = 256 * 1024 * 1024;

export interface HttpRouteDeps {
  guard: PathGuard;
  health(): AgentHealth;
}

export function createHttpRoutes({ guard, health }: HttpRouteDeps) {
  const writer = new FileWriter(guard);
  // Temp files left by writes of an earlier life (killed mid-save) go once, in the background.
  void sweepStaleTempFiles(guard, { olderThanMs: Date.now() - CLOCK_SLACK_MS }).catch(() => undefined);
  const snapshotArchive = createSnapshotArchiveRoute(guard);
  return async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    if (req.method === 'GET' && url.pathname === '/health') return sendJson(res, 200, health());
    if (url.pathname === '/snapshot/archive') return await snapshotArchive(req, res);
    if (url.pathname !== '/fs/content') return sendJson(res, 404, { error: 'not_found', message: 'No such route' });
    try {
      if (req.method === 'GET' || req.method === 'HEAD') return await readContent(req, res, guard, url);
      if (req.method === 'PUT') return await writeContent(req, res, writer, url);
      res.setHeader('Allow', 'GET, HEAD, PUT');
      return sendJson(res, 405, { error: 'method_not_allowed', message: `${req.method} is not allowed` });
    } catch (error) {
      sendError(req, res, toFsError(error));
    }
  };
}

async function readContent(req: IncomingMessage, res: ServerResponse, guard: PathGuard, url: URL): Promise<void> {
  const file = await openForRead(guard, url.searchParams.get('path'));
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': file.size,
    'X-Berth-Version': file.version,
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') {
    file.stream.destroy();
    res.end();
    return;
  }
  // A client going away mid-stream destroys the file stream (and closes its descriptor).
  await pipeline(file.stream, res).catch(() => res.destroy());
}

async function writeContent(req: IncomingMessage, res: ServerResponse, writer: FileWriter, url: URL): Promise<void> {
  const maxBytes = parseMaxBytes(url.searchParams.get('maxBytes'));
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes)
    throw new FsError('too_large', `The file is larger than ${maxBytes} bytes`);
  // The writer destroys its input on failure; destroying the request would reset the socket
  // before the error answer goes out, so it reads from a PassThrough instead.
  const body = new PassThrough();
  req.pipe(body);
  req.on('close', () => {
    if (!req.complete) body.destroy(new Error('The request was aborted'));
  });
  const mode = parseMode(url.searchParams.get('mode'));
  const result = await writer.write(url.searchParams.get('path'), body, maxBytes, precondition(req), mode);
  sendJson(res, 200, result);
}

function precondition(req: IncomingMessage): WritePrecondition {
  const ifMatch = req.headers['if-match'];
  if (typeof ifMatch === 'string' && ifMatch !== '') return { ifMatch: unquote(ifMatch) };
  if (req.headers['if-none-match']?.trim() === '*') return { ifNoneMatch: true };
  return null;
}

/** Versions are sent bare; accept an ETag-style quoted one too. */
function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/** Octal permission bits ("755"); no set-id or sticky bits. */
function parseMode(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^[0-7]{3}$/.test(value)) throw new FsError('bad_path', 'mode must be three octal digits, like 644');
  return parseInt(value, 8);
}

function parseMaxBytes(value: string | null): number {
  if (value === null || value === '') return DEFAULT_MAX_WRITE_BYTES;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0)
    throw new FsError('bad_path', 'maxBytes must be a non-negative integer');
  return Math.min(parsed, DEFAULT_MAX_WRITE_BYTES);
}

function sendError(req: IncomingMessage, res: ServerResponse, error: FsError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body: Record<string, unknown> = { error: error.code, message: error.message };
  if (error instanceof ConflictError) body.currentVersion = error.currentVersion;
  // A body left unread (too large, disk full, refused early): keep reading and dropping it so
  // the client reads this answer. Closing right after answering (Connection: close) reset the
  // socket under the client's next write, and it saw EPIPE instead of the answer.
  if (!req.complete) discardBody(req);
  sendJson(res, AGENT_FILE_ERROR_STATUS[error.code], body);
}

/** Bounds on the body dropped after an early answer; a client still sending past them is cut off. */
const DISCARD_MAX_BYTES = 16 * 1024 * 1024;
const DISCARD_MAX_MS = 10_000;

function discardBody(req: IncomingMessage): void {
  req.unpipe();
  let dropped = 0;
  const cutOff = () => req.socket.destroy();
  const timer = setTimeout(cutOff, DISCARD_MAX_MS);
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_MAX_BYTES) cutOff();
  });
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
