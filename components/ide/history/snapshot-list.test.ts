// The History list says why each skipped file is missing: every skip reason in its own words
// (before, anything but too_large read "unreadable").
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SKIP_REASONS, type SnapshotDto } from '@/server/contracts';
import { skipReasonLabel } from './format';
import { SnapshotList } from './SnapshotList';

const snapshot: SnapshotDto = {
  id: 's1',
  projectId: 'p',
  createdAt: '2026-01-01T00:00:00Z',
  reason: 'auto',
  label: null,
  fileCount: 3,
  totalBytes: 30,
  newBytes: 30,
  changedFiles: 3,
  skipped: [
    { path: 'big.bin', size: 99_000_000, reason: 'too_large' },
    { path: 'secret.key', size: 10, reason: 'unreadable' },
    { path: `deep/${'a'.repeat(40)}…`, size: 5, reason: 'path_too_long' },
    { path: 'caf\uFFFD.txt', size: 5, reason: 'not_utf8' },
  ],
};

describe('SnapshotList skipped files', () => {
  it('names each reason in words on hover', () => {
    const html = renderToStaticMarkup(
      createElement(SnapshotList, { snapshots: [snapshot], selectedId: null, onSelect: () => undefined }),
    );
    const title = /title="([^"]*big\.bin[^"]*)"/.exec(html)?.[1] ?? '';
    expect(html).toContain('4 skipped');
    expect(title.split('\n')).toEqual([
      'big.bin (too large)',
      'secret.key (unreadable)',
      `deep/${'a'.repeat(40)}… (path longer than 1,024 characters)`,
      'caf\uFFFD.txt (name is not valid UTF-8)',
    ]);
  });

  it('has words for every reason the contract knows', () => {
    for (const reason of SKIP_REASONS) expect(skipReasonLabel[reason]).toMatch(/\w/);
    expect(new Set(SKIP_REASONS.map((reason) => skipReasonLabel[reason])).size).toBe(SKIP_REASONS.length);
  });
});
