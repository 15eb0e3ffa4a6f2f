// Which project paths a ZIP can carry without changing them. Linux allows any byte but '/' and
// NUL in a name; ZIP readers (and yazl, which silently turns '\' into '/') do not: a backslash
// is a folder separator on Windows and in most unzip tools, control characters and drive-like
// names are refused by careful readers (Berth's own import among them), and names are capped in
// bytes. Export refuses such a path up front, naming it; project bundles carry every name.
import { quote } from './zip-errors';
import { MAX_NAME_BYTES } from './zip-limits';

/** Why `path` cannot go into a ZIP unchanged, or undefined when it can. */
export function zipNameProblem(path: string): string | undefined {
  if (path.includes('\\')) return 'it contains a backslash, which ZIP readers take for a folder separator';
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'it contains a control character';
  if (/^[A-Za-z]:/.test(path)) return 'it starts like a Windows drive ("C:")';
  if (Buffer.byteLength(path) > MAX_NAME_BYTES) return `it is longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

/** The first path a ZIP cannot carry, with a sentence for people, or undefined when all fit. */
export function firstUnexportable(
  paths: Iterable<string>,
): { path: string; message: string; count: number } | undefined {
  let first: { path: string; problem: string } | undefined;
  let count = 0;
  for (const path of paths) {
    const problem = zipNameProblem(path);
    if (!problem) continue;
    count += 1;
    first ??= { path, problem };
  }
  if (!first) return undefined;
  const others = count > 1 ? ` (and ${count - 1} more)` : '';
  return {
    path: first.path,
    count,
    message: `${quote(first.path)}${others} cannot be exported as a ZIP: ${first.problem}. Rename it, or export a project bundle, which keeps every name`,
  };
}
