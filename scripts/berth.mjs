#!/usr/bin/env node
// The `berth` command (package.json "bin"; `npx berth …` in a checkout). Runs the bundled
// dist/berth-cli.mjs while it is up to date with its sources, else the TypeScript source through
// tsx, so a checkout needs no build (BERTH_CLI_SOURCE=1 forces the source). The command itself is
// server/cli/ (see its main.ts).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI_OUTFILE, cliBundleFresh } from './cli-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (process.env.BERTH_CLI_SOURCE !== '1' && cliBundleFresh(root)) {
  await import(pathToFileURL(path.join(root, CLI_OUTFILE)).href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport('../server/cli/main.ts', import.meta.url);
}
