import { describe, expect, it } from 'vitest';
import { SYNC_MAX_MANIFEST_ENTRIES, type SyncManifestEntry } from '../../contracts/sync';
import { checkRemoteManifest, isOutsideSync, ManifestRefusedError, SYNC_MAX_FILE_BYTES } from './manifest-checks';

const HASH = 'a'.repeat(64);

function file(path: string, extra: Partial<SyncManifestEntry> = {}): SyncManifestEntry {
  return { path, mode: 0o100644, size: 1, sha256: HASH, ...extra };
}

function refusal(files: SyncManifestEntry[]): string {
  try {
    checkRemoteManifest(files);
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestRefusedError);
    return (error as Error).message;
  }
  throw new Error('the manifest was accepted');
}

describe('checkRemoteManifest', () => {
  it('accepts ordinary projects, including names only Linux allows', () => {
    expect(() =>
      checkRemoteManifest([
        file('src/index.ts'),
        file('run.sh', { mode: 0o100755 }),
        file('link', { mode: 0o120777 }),
        file('back\\slash.txt'),
        file('C:x'),
        file('.gitignore'),
        file('docs/.github/workflow.yml'),
        file('a/.berth/x'),
        file('.berthignore'),
        file('big.iso', { size: SYNC_MAX_FILE_BYTES }),
      ]),
    ).not.toThrow();
  });

  it.each([
    ['/etc/passwd', 'absolute path'],
    ['../outside', '".." segment'],
    ['a/../../b', '".." segment'],
    ['./a', '"." segment'],
    ['a//b', 'empty path segment'],
    ['a/', 'empty path segment'],
    ['', 'empty path'],
    ['a\0b', 'NUL byte'],
    ['.berth/base.json', '.berth'],
    ['.BERTH/journal.json', '.berth'],
    ['.berth', '.berth'],
    ['.git/hooks/pre-commit', '.git'],
    ['sub/.git/config', '.git'],
    ['.Git/config', '.git'],
    ['.git', '.git'],
    ['x'.repeat(1025), 'longer than'],
    [`${'y'.repeat(256)}/z`, 'segment longer than 255 bytes'],
  ])('refuses %j (%s), naming the path', (path, problem) => {
    const message = refusal([file('ok.txt'), file(path)]);
    expect(message).toContain(problem);
    expect(message).toContain(JSON.stringify(path.slice(0, 200)));
  });

  it('refuses modes other than regular files and symlinks with permission bits', () => {
    expect(refusal([file('dev', { mode: 0o020644 })])).toContain('unsupported mode 20644');
    expect(refusal([file('dir', { mode: 0o040755 })])).toContain('unsupported mode');
    expect(refusal([file('suid', { mode: 0o104755 })])).toContain('unsupported mode 104755');
    expect(refusal([file('bare', { mode: 0o644 })])).toContain('unsupported mode');
    expect(refusal([file('neg', { mode: -1 })])).toContain('not a file mode');
  });

  it('refuses sizes over 2 GiB and malformed hashes', () => {
    expect(refusal([file('huge', { size: SYNC_MAX_FILE_BYTES + 1 })])).toContain('"huge"');
    expect(refusal([file('h', { sha256: 'A'.repeat(64) })])).toContain('sha256');
  });

  it('refuses duplicates and a path that is both a file and a folder', () => {
    expect(refusal([file('a'), file('b'), file('a')])).toContain('listed twice');
    const message = refusal([file('lib'), file('lib/evil.sh')]);
    expect(message).toContain('"lib"');
    expect(message).toContain('both a file and the folder of "lib/evil.sh"');
  });

  it('refuses more entries than a project may hold', () => {
    const many = Array.from({ length: SYNC_MAX_MANIFEST_ENTRIES + 1 }, (_, i) => file(`f${i}`));
    expect(refusal(many)).toContain(`${SYNC_MAX_MANIFEST_ENTRIES + 1} entries`);
  });
});

describe('isOutsideSync', () => {
  it("is git's folders at any depth and the command line's .berth/ at the top", () => {
    expect(isOutsideSync('.git/HEAD')).toBe(true);
    expect(isOutsideSync('vendor/lib/.GIT/config')).toBe(true);
    expect(isOutsideSync('.berth/base.json')).toBe(true);
    expect(isOutsideSync('.gitignore')).toBe(false);
    expect(isOutsideSync('src/.berth/x')).toBe(false);
    expect(isOutsideSync('src/git/x')).toBe(false);
  });
});
