// HTTP for snapshot content (the secret is checked before these run; see the contract):
//   POST /snapshot/archive  {paths} → 200 application/x-tar (streamed)
//   PUT  /snapshot/archive  tar     → 200 {written} | 400 {error:'bad_path'|'bad_archive', message}
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { snapshotArchiveRequestSchema, type SnapshotArchiveError } from '../../contracts/agent';
import { FsError, toFsError } from '../fs/errors';
import { checkRelativePath, type PathGuard } from '../fs/path-guard';
import { createArchive } from './archive-out';
import { ArchiveError, extractArchive } from './archive-in';

/** 100,000 paths of a few hundred characters fit; the list is small next to the content. */
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

export function createSnapshotArchiveRoute(guard: PathGuard) {
  return async function snapshotArchive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'POST') return sendArchive(req, res, guard);
    if (req.method === 'PUT') return receiveArchive(req, res, guard);
    res.setHeader('Allow', 'POST, PUT');
    sendJson(req, res, 405, { error: 'method_not_allowed', message: `${req.method} is not allowed` });
  };
}

async function sendArchive(req: IncomingMessage, res: ServerResponse, guard: PathGuard): Promise<void> {
  const body = await readJson(req);
  if (!body.ok) return sendJson(req, res, 400, { error: 'bad_request', message: body.message });
  const parsed = snapshotArchiveRequestSchema.safeParse(body.value);
  if (!parsed.success)
    return sendJson(req, res, 400, { error: 'bad_request', message: parsed.error.issues[0]?.message ?? 'Bad request' });
  for (const relative of parsed.data.paths) {
    // Entry names are the paths as sent, so they must already be clean ('a/b', not './a//b').
    const clean = (() => {
      try {
        return checkRelativePath(relative).join('/');
      } catch {
        return undefined;
      }
    })();
    if (clean !== relative || clean === '')
      return sendJson(req, res, 400, {
        error: 'bad_path',
        message: `Path refused: ${JSON.stringify(relative.slice(0, 200))}`,
      });
  }
  res.writeHead(200, { 'Content-Type': 'application/x-tar', 'Cache-Control': 'no-store' });
  const archive = createArchive(guard, parsed.data.paths);
  // A client going away stops the walk; a failure mid-stream can only cut the response.
  res.on('close', () => archive.destroy());
  archive.on('error', () => res.destroy());
  archive.pipe(res);
}

async function receiveArchive(req: IncomingMessage, res: ServerResponse, guard: PathGuard): Promise<void> {
  // The extractor stops reading on a bad entry; a PassThrough keeps the request itself intact
  // so the error answer can still go out (as for PUT /fs/content).
  const body = new PassThrough();
  req.pipe(body);
  req.on('close', () => {
    if (!req.complete) body.destroy(new Error('The request was aborted'));
  });
  try {
    const written = await extractArchive(guard, body);
    sendJson(req, res, 200, { written });
  } catch (error) {
    if (error instanceof ArchiveError) return sendJson(req, res, 400, { error: error.code, message: error.message });
    const fsError = error instanceof FsError ? error : toFsError(error);
    if (fsError.code === 'bad_path')
      return sendJson(req, res, 400, { error: 'bad_path' satisfies SnapshotArchiveError, message: fsError.message });
    sendJson(req, res, 500, { error: 'failed', message: fsError.message });
  }
}

/** The JSON body; past the limit it stops collecting (not destroying the request, so an answer can go out). */
function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      resolve({ ok: false, message: `The request is larger than ${MAX_REQUEST_BYTES} bytes` });
    };
    req.on('data', onData);
    req.on('close', () => resolve({ ok: false, message: 'The request was aborted' }));
    req.on('end', () => {
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      } catch {
        resolve({ ok: false, message: 'The body must be JSON' });
      }
    });
  });
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A body left unread: answer, then close the connection; keep reading so the client sees the answer.
  if (!req.complete) {
    res.setHeader('Connection', 'close');
    req.unpipe();
    req.resume();
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
