// One typed error for every way an uploaded ZIP can be refused, so the import can refuse it
// as too_large or bad_request (413/400 over HTTP) without parsing messages and create nothing.

export type ZipImportErrorCode =
  'too_many_entries' | 'too_large' | 'bad_path' | 'symlink' | 'encrypted' | 'unsupported' | 'corrupt' | 'duplicate';

export class ZipImportError extends Error {
  override readonly name = 'ZipImportError';

  constructor(
    readonly code: ZipImportErrorCode,
    message: string,
    /** The offending entry's name as found in the archive, when there is one. */
    readonly entry?: string,
  ) {
    super(message);
  }

  /** too_large for "too big" refusals, bad_request for everything else. */
  get kind(): 'bad_request' | 'too_large' {
    return this.code === 'too_large' || this.code === 'too_many_entries' ? 'too_large' : 'bad_request';
  }
}

/** Quotes an entry name for messages; JSON escaping keeps control characters visible. */
export function quote(name: string): string {
  const shown = name.length > 200 ? `${name.slice(0, 200)}…` : name;
  return JSON.stringify(shown);
}

/**
 * Turns yauzl's (and zlib's) plain Errors into a ZipImportError. yauzl has no
 * error codes, so the few messages that mean something other than "corrupt"
 * are matched here and nowhere else.
 */
export function toZipImportError(error: unknown, entry?: string): ZipImportError {
  if (error instanceof ZipImportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const where = entry === undefined ? '' : ` (entry ${quote(entry)})`;
  if (/encrypt/i.test(message))
    return new ZipImportError('encrypted', `encrypted entries are not supported${where}`, entry);
  if (/compression method/i.test(message)) return new ZipImportError('unsupported', `${message}${where}`, entry);
  if (/too many bytes/i.test(message)) {
    return new ZipImportError('too_large', `entry inflates beyond its declared size${where}`, entry);
  }
  return new ZipImportError('corrupt', `the ZIP file is damaged or not a ZIP file: ${message}${where}`, entry);
}

/** A file-system failure (ENOENT, EMFILE…) is the server's problem, not the upload's: keep it as is. */
export function asImportFailure(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? error : toZipImportError(error);
}
