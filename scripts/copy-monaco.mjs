// Copies Monaco's AMD build (node_modules/monaco-editor/min/vs) to public/monaco/vs, so the
// editor loads from Berth's own origin: no CDN, works offline and self-hosted. Idempotent:
// skips the copy when public/monaco/vs already holds the installed version.
//
//   node scripts/copy-monaco.mjs [--force]
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function copyMonaco({ force = false } = {}) {
  const source = path.join(root, 'node_modules', 'monaco-editor', 'min', 'vs');
  const target = path.join(root, 'public', 'monaco', 'vs');
  const stamp = path.join(root, 'public', 'monaco', 'VERSION');
  if (!existsSync(source)) throw new Error('monaco-editor is not installed (run npm install)');
  const { version } = JSON.parse(
    readFileSync(path.join(root, 'node_modules', 'monaco-editor', 'package.json'), 'utf8'),
  );
  if (
    !force &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === version &&
    existsSync(path.join(target, 'loader.js'))
  )
    return false;
  rmSync(path.join(root, 'public', 'monaco'), { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
  writeFileSync(stamp, version);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const copied = copyMonaco({ force: process.argv.includes('--force') });
    console.log(copied ? 'copied Monaco to public/monaco/vs' : 'public/monaco/vs is up to date');
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
