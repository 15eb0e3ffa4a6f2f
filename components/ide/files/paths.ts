// Workspace-relative path helpers: '' is the root, '/' separates segments.

export const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export const dirname = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

export const joinPath = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);

/** True when `path` is `ancestor` itself or lies below it. */
export const isWithin = (path: string, ancestor: string) =>
  ancestor === '' || path === ancestor || path.startsWith(`${ancestor}/`);

/** The folders that contain `path`, outermost first, without the root. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

/** Rewrites `path` when `from` (or a folder above it) moved to `to`. */
export const movedPath = (path: string, from: string, to: string) =>
  path === from ? to : `${to}${path.slice(from.length)}`;

/** A name a person may type for a new file or folder: one segment, no escapes. */
export function invalidName(name: string): string | null {
  if (!name.trim()) return 'A name is required';
  if (name === '.' || name === '..') return 'That name is reserved';
  if (/[\0]/.test(name)) return 'Names must not contain NUL';
  return null;
}
