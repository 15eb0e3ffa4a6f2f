import { describe, expect, it } from 'vitest';
import { S_IFLNK, S_IFREG } from '../snapshots';
import { detectBuildPlan } from './build-plan';
import { projectFactsOfSnapshot, type SnapshotReader } from './snapshot-facts';

function reader(files: Record<string, { content: string; mode?: number }>): SnapshotReader {
  return {
    manifest: async () =>
      Object.entries(files).map(([path, file]) => ({
        path,
        mode: file.mode ?? S_IFREG | 0o644,
        size: Buffer.byteLength(file.content),
        sha256: `sha-${path}`,
      })),
    readBlob: async (sha256) => Buffer.from(files[sha256.slice(4)]!.content),
  };
}

describe('projectFactsOfSnapshot', () => {
  it('reads package.json and lists the files, enough to detect the plan', async () => {
    const facts = await projectFactsOfSnapshot(
      reader({
        'package.json': { content: JSON.stringify({ scripts: { start: 'node server.js' } }) },
        'server.js': { content: '' },
        'src/app.js': { content: '' },
      }),
      's1',
    );
    expect(facts.files).toEqual(['package.json', 'server.js', 'src/app.js']);
    expect(detectBuildPlan(facts).serve).toEqual({ kind: 'command', command: 'npm start' });
  });

  it('no package.json: null; a symlinked one is not followed', async () => {
    expect((await projectFactsOfSnapshot(reader({ 'index.html': { content: '<h1>' } }), 's1')).packageJson).toBeNull();
    const linked = await projectFactsOfSnapshot(
      reader({ 'package.json': { content: '../secret', mode: S_IFLNK | 0o777 }, 'index.html': { content: '' } }),
      's1',
    );
    expect(linked.packageJson).toBeNull();
  });
});
