// Production build: Next.js pages into .next/, the custom server bundled into dist/server.mjs,
// the `berth` command line into dist/berth-cli.mjs.
// Skips the work when nothing it is made from changed (hash in dist/build-hash).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleCli, CLI_OUTFILE } from './cli-bundle.mjs';
import { copyMonaco } from './copy-monaco.mjs';
import { bin, ensureDependencies, root, run, say, sourceHash } from './lib.mjs';

export async function build({ force = false } = {}) {
  await ensureDependencies();
  // Monaco is served from Berth's own origin (public/monaco), never from a CDN.
  copyMonaco();
  const hashFile = path.join(root, 'dist', 'build-hash');
  const hash = sourceHash();
  const built =
    existsSync(hashFile) &&
    existsSync(path.join(root, '.next', 'BUILD_ID')) &&
    existsSync(path.join(root, 'dist', 'server.mjs')) &&
    existsSync(path.join(root, CLI_OUTFILE));
  if (!force && built && readFileSync(hashFile, 'utf8') === hash) {
    say('build is up to date');
    return;
  }
  say('building (next build + server bundle)…');
  await run(bin('next'), ['build'], { env: { NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' } });
  await run(bin('esbuild'), [
    'server/main.ts',
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node20',
    '--packages=external',
    '--sourcemap',
    '--outfile=dist/server.mjs',
    '--log-level=warning',
  ]);
  // The `berth` command line as one file with its packages inside (GET /cli serves it).
  await bundleCli({ root });
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  writeFileSync(hashFile, hash);
  say('build done');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  build({ force: process.argv.includes('--force') }).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
