// A multipart/form-data upload with one file, streamed to a temp file (never held in memory)
// with a byte limit (413 past it), plus its small text fields. The caller removes the folder.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { DomainError } from '../core/errors';

export interface Upload {
  /** The uploaded file on disk. */
  file: string;
  fileName: string;
  fields: Record<string, string>;
  /** Removes the temp folder. */
  remove(): Promise<void>;
}

export async function receiveUpload(req: IncomingMessage, maxBytes: number): Promise<Upload> {
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? ''))
    throw new DomainError(
      'unsupported_media_type',
      'unsupported_media_type',
      'Send the ZIP as multipart/form-data (field "file")',
    );
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-upload-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    return await new Promise<Upload>((resolve, reject) => {
      const fields: Record<string, string> = {};
      let saved: Promise<{ file: string; fileName: string }> | undefined;
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: req.headers,
          limits: { files: 1, fileSize: maxBytes, fields: 10, fieldSize: 4096 },
        });
      } catch {
        reject(new DomainError('bad_request', 'bad_request', 'Malformed multipart body'));
        return;
      }
      parser.on('field', (name, value) => (fields[name] = value));
      parser.on('file', (_name, stream, info) => {
        const file = path.join(dir, 'upload');
        let truncated = false;
        stream.on('limit', () => (truncated = true));
        saved = pipeline(stream, createWriteStream(file)).then(() => {
          if (truncated) throw tooLarge(maxBytes);
          return { file, fileName: info.filename ?? 'upload.zip' };
        });
        saved.catch(() => undefined);
      });
      parser.on('error', () => reject(new DomainError('bad_request', 'bad_request', 'Malformed multipart body')));
      parser.on('close', () => {
        if (!saved)
          return reject(new DomainError('bad_request', 'bad_request', 'No file in the upload (field "file")'));
        saved.then(({ file, fileName }) => resolve({ file, fileName, fields, remove }), reject);
      });
      req.on('aborted', () => reject(new DomainError('bad_request', 'upload_aborted', 'The upload ended early')));
      req.pipe(parser);
    });
  } catch (error) {
    req.resume();
    await remove();
    throw error;
  }
}

const tooLarge = (maxBytes: number) =>
  new DomainError(
    'too_large',
    'too_large',
    `Uploads are at most ${Math.round(maxBytes / 1024 / 1024)} MB (IMPORT_MAX_MB)`,
  );
