// Symlink targets from an archive (only with allowSymlinks): a link may point
// anywhere inside the project, never out of it, even through other links.
import { MAX_SYMLINK_TARGET_BYTES } from './zip-limits';
import { ZipImportError, quote } from './zip-errors';

const MAX_HOPS = 40; // Linux's own limit on links followed in one lookup.

function refuse(link: string, why: string): ZipImportError {
  return new ZipImportError('symlink', `symbolic link ${quote(link)} is unsafe: ${why}`, link);
}

/** Syntax of one target: relative, no NUL/control characters, no backslash. */
export function checkTargetText(link: string, target: string): void {
  if (target === '') throw refuse(link, 'empty target');
  if (Buffer.byteLength(target) > MAX_SYMLINK_TARGET_BYTES) throw refuse(link, 'target too long');
  if (/[\u0000-\u001f\u007f]/.test(target)) throw refuse(link, 'control character in target');
  if (target.includes('\\')) throw refuse(link, 'backslash in target');
  if (target.startsWith('/') || /^[A-Za-z]:/.test(target)) throw refuse(link, `absolute target ${quote(target)}`);
}

/**
 * Resolves every link the way the kernel would once extracted (following
 * links of the same archive met on the way) and refuses any that leaves the
 * root. A purely textual check is not enough: with `d -> .`, `l -> d/..`
 * looks inside but escapes. Dangling targets inside the root are fine.
 * Callers also refuse entries stored *below* a link (zip-reader), so every
 * link sits in a real folder.
 */
export function checkSymlinkTargets(links: ReadonlyMap<string, string>): void {
  // All texts first: resolution splices other links' targets in.
  for (const [link, target] of links) checkTargetText(link, target);
  for (const [link, target] of links) {
    const stack = link.split('/').slice(0, -1);
    const queue = target.split('/');
    let hops = 0;
    while (queue.length > 0) {
      const segment = queue.shift()!;
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (stack.length === 0) throw refuse(link, `target ${quote(target)} points outside the project`);
        stack.pop();
        continue;
      }
      stack.push(segment);
      const via = links.get(stack.join('/'));
      if (via === undefined) continue;
      if (++hops > MAX_HOPS) throw refuse(link, 'too many levels of links (loop?)');
      stack.pop(); // the link's own folder is where its target starts
      queue.unshift(...via.split('/'));
    }
  }
}
