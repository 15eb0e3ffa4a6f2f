// The templates' dependencies, installed once when the workspace image is built and baked into
// it (/opt/berth/templates/<id>/node_modules). A new project's first "Run" copies them from the
// image (berth-install) instead of downloading them: a Vite + React project runs in seconds.
// Installed here with this machine's npm (which reaches the registry and knows its CA) for the
// image's platform, with install scripts off: nothing from the registry runs on the host.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root, run, say } from './lib.mjs';

const templatesDir = path.join(root, 'docker', 'templates');
const PACKAGE_FILES = ['package.json', 'package-lock.json'];
const STAMP = '.berth-installed-from';

/** Templates whose package.json declares dependencies (those are the ones worth preparing). */
export function templatesWithDependencies() {
  return readdirSync(templatesDir).filter((id) => {
    const file = path.join(templatesDir, id, 'package.json');
    if (!existsSync(file)) return false;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    return Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).length > 0;
  });
}

/** What the prepared dependencies depend on: each template's package.json and lockfile. */
export function templatePackageFiles() {
  return templatesWithDependencies().flatMap((id) =>
    PACKAGE_FILES.filter((file) => existsSync(path.join(templatesDir, id, file))).map((file) => ({
      name: `templates/${id}/${file}`,
      content: readFileSync(path.join(templatesDir, id, file)),
    })),
  );
}

/** Fills <contextDir>/templates/<id>/ with package files + node_modules; reuses an install whose package files are unchanged. */
export async function prepareTemplateDependencies(contextDir) {
  const outDir = path.join(contextDir, 'templates');
  mkdirSync(outDir, { recursive: true });
  const wanted = templatesWithDependencies();
  for (const stale of readdirSync(outDir).filter((id) => !wanted.includes(id)))
    rmSync(path.join(outDir, stale), { recursive: true, force: true });
  for (const id of wanted) {
    const source = path.join(templatesDir, id);
    const target = path.join(outDir, id);
    const stamp = PACKAGE_FILES.map((file) =>
      existsSync(path.join(source, file)) ? readFileSync(path.join(source, file), 'utf8') : '',
    ).join('\0');
    const stampFile = path.join(target, STAMP);
    if (
      existsSync(stampFile) &&
      readFileSync(stampFile, 'utf8') === stamp &&
      existsSync(path.join(target, 'node_modules'))
    )
      continue;
    say(`installing the ${id} template's dependencies for the workspace image…`);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const file of PACKAGE_FILES)
      if (existsSync(path.join(source, file))) cpSync(path.join(source, file), path.join(target, file));
    await run(
      'npm',
      [
        'install',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        '--os=linux',
        `--cpu=${process.arch}`,
        '--libc=glibc',
      ],
      { cwd: target },
    );
    // The project's lockfile is the template's: keep that one, not what this install rewrote.
    for (const file of PACKAGE_FILES)
      if (existsSync(path.join(source, file))) cpSync(path.join(source, file), path.join(target, file));
    writeFileSync(stampFile, stamp);
  }
}
