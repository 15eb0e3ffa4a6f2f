// Keeps DESIGN.md's import rules true without anyone remembering them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', 'generated', '.next']);

function sourceFiles(folder: string): string[] {
  const absolute = path.join(root, folder);
  return readdirSync(absolute).flatMap((entry) => {
    if (SKIP.has(entry)) return [];
    const full = path.join(absolute, entry);
    if (statSync(full).isDirectory()) return sourceFiles(path.join(folder, entry));
    return /\.(ts|tsx)$/.test(entry) ? [path.join(folder, entry)] : [];
  });
}

/** Every import of a file, resolved to a repo-relative path for local ones. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? m[2]!);
  return specifiers.map((spec) => {
    if (spec.startsWith('.')) return path.join(path.dirname(file), spec);
    if (spec.startsWith('@/')) return spec.slice(2);
    return `pkg:${spec}`;
  });
}

const violations = (files: string[], allowed: (target: string, file: string) => boolean) =>
  files.flatMap((file) =>
    importsOf(file)
      .filter((target) => !allowed(target, file))
      .map((target) => `${file} → ${target}`),
  );

describe('import rules', () => {
  it('app/ and components/ import only components/, server/contracts/ and packages', () => {
    const files = [...sourceFiles('app'), ...sourceFiles('components')];
    const allowed = (target: string) =>
      target.startsWith('pkg:') ||
      target.startsWith('components/') ||
      target.startsWith('app/') ||
      target.startsWith('server/contracts');
    expect(violations(files, allowed)).toEqual([]);
  });

  it('server/contracts/ imports only zod and itself (it ships to the browser)', () => {
    const allowed = (target: string) => target === 'pkg:zod' || target.startsWith('server/contracts');
    // Its unit tests never ship.
    expect(
      violations(
        sourceFiles('server/contracts').filter((file) => !file.endsWith('.test.ts')),
        allowed,
      ),
    ).toEqual([]);
  });

  it('server/db/ and server/core/ import nothing from other server folders', () => {
    for (const folder of ['server/db', 'server/core']) {
      const allowed = (target: string) => target.startsWith('pkg:') || target.startsWith(folder);
      expect(violations(sourceFiles(folder), allowed)).toEqual([]);
    }
  });

  it('features reach each other only through index.ts', () => {
    const features = [
      'projects',
      'files',
      'terminals',
      'preview',
      'snapshots',
      'transfer',
      'workspaces',
      'auth',
      'runtime',
      'admin',
      'accounts',
    ];
    const files = sourceFiles('server').filter((file) => !file.endsWith('.test.ts'));
    const allowed = (target: string, file: string) => {
      const own = file.split(path.sep)[1];
      const [top, feature, ...rest] = target.split('/');
      if (top !== 'server' || !feature || feature === own || !features.includes(feature)) return true;
      return rest.length === 0 || (rest.length === 1 && rest[0] === 'index');
    };
    expect(violations(files, allowed)).toEqual([]);
  });

  it('only server/runtime/docker/ imports dockerode (integration tests may, to check from outside)', () => {
    const files = sourceFiles('server').filter(
      (file) => !file.startsWith(path.join('server', 'runtime', 'docker')) && !file.endsWith('.int.test.ts'),
    );
    expect(violations(files, (target) => target !== 'pkg:dockerode')).toEqual([]);
  });
});
