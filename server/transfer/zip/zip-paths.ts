// Entry names: decoding and the rules that keep an extracted path inside the
// project folder on every OS. Pure functions, no I/O.
import { MAX_NAME_BYTES, MAX_SEGMENT_BYTES } from './zip-limits';
import { ZipImportError, quote } from './zip-errors';

// The upper half of code page 437, the ZIP default when the UTF-8 flag is off.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a raw name: UTF-8 when flagged or when the bytes are valid UTF-8
 * (macOS and many tools omit the flag), CP437 otherwise, as the spec says.
 */
export function decodeName(raw: Buffer, utf8Flag: boolean): string {
  try {
    return utf8.decode(raw);
  } catch {
    if (utf8Flag)
      throw new ZipImportError('bad_path', `entry name is not valid UTF-8: ${quote(raw.toString('latin1'))}`);
    let out = '';
    for (const byte of raw) out += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
    return out;
  }
}

export interface CheckedName {
  /** Normalized: no trailing slash. */
  path: string;
  /** The name ended in `/` (a folder entry). */
  isFolder: boolean;
}

function bad(name: string, why: string): ZipImportError {
  return new ZipImportError('bad_path', `entry ${quote(name)} has an unsafe name: ${why}`, name);
}

/**
 * Refuses any name that could land outside the target folder or mean different
 * things on different systems. Nothing is repaired: a hostile name rejects the
 * whole archive.
 */
export function checkName(name: string, rawLength: number): CheckedName {
  if (rawLength > MAX_NAME_BYTES) throw bad(name, `longer than ${MAX_NAME_BYTES} bytes`);
  if (/[\u0000-\u001f\u007f]/.test(name)) throw bad(name, 'control character');
  // Windows separators; `a\..\b` is a traversal there, so never guess.
  if (name.includes('\\')) throw bad(name, 'backslash');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw bad(name, 'absolute path');
  const isFolder = name.endsWith('/');
  const path = isFolder ? name.slice(0, -1) : name;
  for (const segment of path.split('/')) {
    if (segment === '') throw bad(name, 'empty path segment');
    if (segment === '..' || segment === '.') throw bad(name, `"${segment}" segment`);
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)
      throw bad(name, `a segment longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  return { path, isFolder };
}

/**
 * The one top-level folder that holds every entry (GitHub's `repo-main/`), or
 * null. Needs at least one entry below it, so a lone folder is not emptied.
 */
export function commonRoot(entries: ReadonlyArray<{ path: string; isFolder: boolean }>): string | null {
  let root: string | null = null;
  let below = false;
  for (const { path, isFolder } of entries) {
    const slash = path.indexOf('/');
    if (slash === -1 && !isFolder) return null; // a top-level file
    const top = slash === -1 ? path : path.slice(0, slash);
    if (root === null) root = top;
    else if (root !== top) return null;
    if (slash !== -1) below = true;
  }
  return below ? root : null;
}

/** Every proper ancestor of a path: `a/b/c` → `a`, `a/b`. */
export function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
