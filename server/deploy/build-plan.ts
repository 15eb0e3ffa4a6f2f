// How a project is built and served, detected from its package.json and top-level files (ADR
// deploy, "Plan"). The user may edit every field; detection only gives the starting point.
import { z } from 'zod';

export type Framework = 'next' | 'vite' | 'node' | 'static';

/** How the built app answers HTTP: Berth's static server over a folder, or the app's own command. */
export type ServeMode = { kind: 'static'; dir: string } | { kind: 'command'; command: string };

export interface BuildPlan {
  framework: Framework;
  /** Shell command that installs dependencies; null when there are none. */
  installCommand: string | null;
  /** Shell command that builds; null when nothing is built. */
  buildCommand: string | null;
  serve: ServeMode;
  /** The port the app listens on (given to it as PORT). */
  port: number;
}

export const DEFAULT_PORT = 3000;

/** An edited plan as the API accepts it (the wire schema lives with the contracts). */
export { buildPlanSchema } from '../contracts';

const packageJsonSchema = z
  .object({
    main: z.string().optional(),
    scripts: z.record(z.string(), z.string()).optional(),
    dependencies: z.record(z.string(), z.string()).optional(),
    devDependencies: z.record(z.string(), z.string()).optional(),
  })
  .passthrough();

export interface ProjectFacts {
  /** package.json's text, or null when the project has none. */
  packageJson: string | null;
  /** Paths of the project's files (relative, '/' separated); only top-level names matter. */
  files: readonly string[];
}

export class NothingToDeployError extends Error {
  readonly code = 'nothing_to_deploy';
}

export function detectBuildPlan({ packageJson, files }: ProjectFacts): BuildPlan {
  const topLevel = new Set(files.map((file) => file.replace(/^\.\//, '')).filter((file) => !file.includes('/')));
  if (packageJson === null) {
    if (topLevel.has('index.html')) return staticPlan('static', null, null, '.');
    throw new NothingToDeployError('No package.json and no index.html: nothing to deploy');
  }
  let parsed: z.infer<typeof packageJsonSchema>;
  try {
    parsed = packageJsonSchema.parse(JSON.parse(packageJson));
  } catch (error) {
    throw new NothingToDeployError(`package.json cannot be read: ${(error as Error).message}`);
  }
  const scripts = parsed.scripts ?? {};
  const dependencies = { ...parsed.dependencies, ...parsed.devDependencies };
  const install = installCommandOf(Object.keys(dependencies).length > 0, topLevel);
  const buildScript = scripts.build ? 'npm run build' : null;

  if ('next' in dependencies)
    return {
      framework: 'next',
      installCommand: install,
      buildCommand: buildScript ?? 'npx next build',
      serve: { kind: 'command', command: `./node_modules/.bin/next start -H 0.0.0.0 -p "$PORT"` },
      port: DEFAULT_PORT,
    };
  if ('vite' in dependencies) return staticPlan('vite', install, buildScript ?? 'npx vite build', 'dist');
  if (scripts.start)
    return {
      framework: 'node',
      installCommand: install,
      buildCommand: buildScript,
      serve: { kind: 'command', command: 'npm start' },
      port: DEFAULT_PORT,
    };
  const entry = [parsed.main, 'server.js', 'index.js'].find((file) => file && topLevel.has(file));
  if (entry)
    return {
      framework: 'node',
      installCommand: install,
      buildCommand: buildScript,
      serve: { kind: 'command', command: `node ${shellQuote(entry)}` },
      port: DEFAULT_PORT,
    };
  if (topLevel.has('index.html')) return staticPlan('static', install, buildScript, '.');
  throw new NothingToDeployError('No start script, server file or index.html: nothing to serve');
}

function installCommandOf(hasDependencies: boolean, topLevel: Set<string>): string | null {
  if (!hasDependencies) return null;
  // npm ci installs exactly the lockfile (and fails when it is out of date, as a deploy should).
  return topLevel.has('package-lock.json') ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund';
}

function staticPlan(framework: Framework, install: string | null, build: string | null, dir: string): BuildPlan {
  return {
    framework,
    installCommand: install,
    buildCommand: build,
    serve: { kind: 'static', dir },
    port: DEFAULT_PORT,
  };
}

export function shellQuote(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
