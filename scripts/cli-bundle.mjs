// The `berth` command line as one file that runs with Node alone (its packages bundled in):
// built into dist/berth-cli.mjs by scripts/build.mjs, served at GET /cli, and run by
// scripts/berth.mjs while it is up to date. dist/berth-cli.meta.json lists the source files it
// was made from with a hash of their contents, so "up to date" is a content check, not a clock.
// Node built-ins only at load time: esbuild is imported when a bundle is made.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CLI_ENTRY = 'server/cli/main.ts';
export const CLI_OUTFILE = 'dist/berth-cli.mjs';
export const CLI_META = 'dist/berth-cli.meta.json';

// ESM output: a bundled CommonJS package that calls require() gets Node's own.
const BANNER =
  '#!/usr/bin/env node\n' +
  "import { createRequire as __berthCreateRequire } from 'node:module';\n" +
  'const require = __berthCreateRequire(import.meta.url);';

/**
 * zod's `locales` namespace (60 languages, ~40% of the bundle) reduced to English: the CLI never
 * picks a language, zod's default messages (its en locale) are still there, and every run of the
 * command line parses ~370 KB less. The stand-in lives under node_modules/ in the metafile, so it
 * is no source file of the hash.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!args.importer.split(path.sep).join('/').includes('/node_modules/zod/')) return undefined;
      return { path: path.join(path.dirname(args.importer), '../locales/index.js'), namespace: 'zod-english-only' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: "export { default as en } from './en.js';\n",
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/** A hash of the listed source files' contents; null when one of them is missing. */
export function cliSourceHash(root, inputs) {
  const hash = createHash('sha256');
  for (const input of [...inputs].sort()) {
    const file = path.join(root, input);
    if (!existsSync(file)) return null;
    hash.update(input).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/**
 * Whether dist/berth-cli.mjs may be used: it exists, and its sources are either all absent (an
 * installed copy without them, like the Berth image) or unchanged since it was made.
 */
export function cliBundleFresh(root) {
  const outfile = path.join(root, CLI_OUTFILE);
  const metaFile = path.join(root, CLI_META);
  if (!existsSync(outfile) || !existsSync(metaFile)) return false;
  let meta;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(meta.inputs) || typeof meta.hash !== 'string') return false;
  if (meta.inputs.every((input) => !existsSync(path.join(root, input)))) return true;
  return cliSourceHash(root, meta.inputs) === meta.hash;
}

/**
 * Bundles the CLI (esbuild: --bundle --platform=node --format=esm --target=node20, packages
 * included). With `write`, into dist/ with its meta file; always returns the code, the source
 * files (relative to root, node_modules left out) and their hash.
 */
export async function bundleCli({ root, write = true }) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [CLI_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: BANNER },
    write: false,
    metafile: true,
    outfile: CLI_OUTFILE,
    logLevel: 'warning',
    legalComments: 'none',
    plugins: [zodEnglishOnly],
  });
  const output = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
  if (!output) throw new Error('esbuild gave no output for the CLI');
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.split('/').includes('node_modules'))
    .sort();
  const hash = cliSourceHash(root, inputs);
  const code = Buffer.from(output.contents);
  if (write) {
    mkdirSync(path.join(root, 'dist'), { recursive: true });
    writeFileSync(path.join(root, CLI_OUTFILE), code);
    chmodSync(path.join(root, CLI_OUTFILE), 0o755);
    writeFileSync(path.join(root, CLI_META), `${JSON.stringify({ inputs, hash }, null, 2)}\n`);
  }
  return { code, inputs, hash };
}
