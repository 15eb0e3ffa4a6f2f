// Which paths a snapshot leaves out, with git's semantics (the `ignore` package matches;
// this file only orders and scopes the patterns). A folder that is ignored is not walked, so
// nothing under it can be put back (as in git).
import { createHash } from 'node:crypto';
import ignore, { type Ignore } from 'ignore';

/**
 * Left out of every snapshot unless a .gitignore or .berthignore negates them: dependencies,
 * build output and caches (rebuilt by `npm install` / the dev server), macOS litter, the user's
 * home folder `.home/` (npm cache, shell history; HOME lives in the volume). `build/` is not
 * here: some projects keep source there. `.git/` is kept (it is the user's history).
 */
export const SNAPSHOT_DEFAULT_IGNORES: readonly string[] = [
  'node_modules/',
  '.next/',
  '.nuxt/',
  '.svelte-kit/',
  'dist/',
  'coverage/',
  '.cache/',
  '.turbo/',
  '.parcel-cache/',
  '.vite/',
  '*.tsbuildinfo',
  '.DS_Store',
  '/.home/',
];

/** Secrets: left out unless the scan asks for them (includeEnv). */
export const SNAPSHOT_ENV_PATTERNS: readonly string[] = ['.env', '.env.*'];

/**
 * The rules for one folder, as one `ignore` matcher over root-relative paths: the defaults,
 * each .gitignore from the root down (its patterns rewritten to the root, as git scopes them
 * to their folder), the `.env` re-include, the .berthignore. The last matching pattern decides,
 * so a deeper .gitignore overrides a shallower one and .berthignore overrides all.
 */
export class IgnoreRules {
  private matcher: Ignore | undefined;
  private idMemo: string | undefined;

  private constructor(
    private readonly head: readonly string[],
    private readonly git: readonly string[],
    private readonly tail: readonly string[],
  ) {}

  static create(options: { includeEnv: boolean; berthignore?: string }): IgnoreRules {
    const head = [...SNAPSHOT_DEFAULT_IGNORES, ...(options.includeEnv ? [] : SNAPSHOT_ENV_PATTERNS)];
    const tail = [
      ...(options.includeEnv ? SNAPSHOT_ENV_PATTERNS.map((pattern) => `!${pattern}`) : []),
      ...lines(options.berthignore ?? ''),
    ];
    return new IgnoreRules(head, [], tail);
  }

  /** The rules for a folder's children, with that folder's .gitignore added. */
  withGitignore(dir: string, content: string): IgnoreRules {
    return new IgnoreRules(this.head, [...this.git, ...scopeToDir(dir, content)], this.tail);
  }

  /** Inside the root `.git/` only .berthignore applies (git never applies .gitignore there). */
  forGitDir(): IgnoreRules {
    return new IgnoreRules(
      [],
      [],
      this.tail.filter((line) => !SNAPSHOT_ENV_PATTERNS.some((env) => line === `!${env}`)),
    );
  }

  /** Names these rules: equal ids mean the same answer for every path (a cache may skip asking again). */
  get id(): string {
    this.idMemo ??= createHash('sha256')
      .update(JSON.stringify([this.head, this.git, this.tail]))
      .digest('hex')
      .slice(0, 32);
    return this.idMemo;
  }

  /** `relative` is the path from the root; folders are asked with `isDir` (for `dir/` rules). */
  ignores(relative: string, isDir: boolean): boolean {
    this.matcher ??= ignore().add([...this.head, ...this.git, ...this.tail]);
    return this.matcher.ignores(isDir ? `${relative}/` : relative);
  }
}

function lines(content: string): string[] {
  return content.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

/**
 * A .gitignore's patterns rewritten for the root, with git's scoping: a pattern with a slash
 * before its end is anchored to the .gitignore's folder; one without matches at any depth
 * below it (a `**` segment between the folder and the pattern).
 */
export function scopeToDir(dir: string, content: string): string[] {
  const patterns = lines(content);
  if (dir === '') return patterns;
  // Glob characters in folder names are literal; a leading '!' or '#' would change the line.
  const prefix = dir.replace(/[\\*?[\]]/g, (char) => `\\${char}`).replace(/^[!#]/, (char) => `\\${char}`);
  return patterns.map((line) => {
    const negated = line.startsWith('!');
    const pattern = negated ? line.slice(1) : line;
    const body = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
    const anchored = body.includes('/');
    const scoped = anchored ? `${prefix}/${pattern.replace(/^\//, '')}` : `${prefix}/**/${pattern}`;
    return negated ? `!${scoped}` : scoped;
  });
}
