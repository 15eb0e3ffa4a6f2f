import { describe, expect, it } from 'vitest';
import { bundlePathProblem, checkBundlePath } from './bundle-paths';

describe('bundle paths', () => {
  it.each([
    'a\\b.txt',
    '\\',
    'C:x',
    'tab\there',
    'new\nline',
    'é/ü',
    'a/b/c.txt',
    '...',
    '.hidden',
    Array(8).fill('x'.repeat(127)).join('/'),
  ])('keeps %j', (path) => {
    expect(bundlePathProblem(path)).toBeUndefined();
  });

  it.each([
    '',
    '/etc/passwd',
    'a/../b',
    '..',
    './a',
    'a//b',
    'a/',
    'nul\0byte',
    Array(8).fill('x'.repeat(128)).join('/'),
    `${'a'.repeat(256)}/b`,
  ])('refuses %j', (path) => {
    expect(() => checkBundlePath(path)).toThrow(expect.objectContaining({ kind: 'bad_request', code: 'bad_path' }));
  });
});
