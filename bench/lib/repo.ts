// Paths of the repository and its production build (scripts/build.mjs).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { releaseWorkspaceDisks } from '../../server/runtime';
import type { Defer } from './cleanup';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const serverBundle = path.join(root, 'dist', 'server.mjs');
export const migrationsDir = path.join(root, 'prisma', 'migrations');

interface BuildScript {
  build(options?: { force?: boolean }): Promise<void>;
}

interface ScriptLib {
  sourceHash(): string;
}

// A computed specifier: these are plain .mjs scripts without type declarations.
const importScript = async <T>(file: string): Promise<T> =>
  (await import(pathToFileURL(path.join(root, 'scripts', file)).href)) as T;

/** Builds the production tree if its sources changed (no-op when up to date). */
export async function ensureBuilt(): Promise<void> {
  const { build } = await importScript<BuildScript>('build.mjs');
  await build();
}

/** scripts/lib.mjs's source hash: the check `npm start` does on every start. */
export async function loadSourceHash(): Promise<() => string> {
  const { sourceHash } = await importScript<ScriptLib>('lib.mjs');
  return sourceHash;
}

/** A temp folder the `postgres` system user can traverse (mkdtemp makes 0700 ones); removed by `defer`. */
export function tempDir(prefix: string, defer: Defer): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  defer(`remove ${dir}`, async () => {
    // A bench server running as root loop-mounts each workspace's disk under its data folder and
    // leaves it mounted when it stops (workspaces outlive Berth): let them go before deleting.
    await releaseWorkspaceDisks(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
