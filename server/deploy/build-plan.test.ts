import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlanSchema, detectBuildPlan, NothingToDeployError } from './build-plan';
import { buildScriptOf, startCommandOf } from './build-script';

const templates = path.resolve(import.meta.dirname, '..', '..', 'docker', 'templates');
function template(id: string) {
  const dir = path.join(templates, id);
  const file = path.join(dir, 'package.json');
  return { packageJson: existsSync(file) ? readFileSync(file, 'utf8') : null, files: readdirSync(dir) };
}
const pkg = (value: object, files: string[] = ['package.json']) => ({ packageJson: JSON.stringify(value), files });

describe('detectBuildPlan', () => {
  it('Vite: npm ci from the lockfile, npm run build, dist served statically', () => {
    expect(detectBuildPlan(template('vite-react'))).toEqual({
      framework: 'vite',
      installCommand: 'npm ci --no-audit --no-fund',
      buildCommand: 'npm run build',
      serve: { kind: 'static', dir: 'dist' },
      port: 3000,
    });
  });

  it('Next: next build then next start on PORT, all interfaces', () => {
    const plan = detectBuildPlan(template('nextjs'));
    expect(plan.framework).toBe('next');
    expect(plan.buildCommand).toBe('npm run build');
    expect(plan.serve).toEqual({ kind: 'command', command: './node_modules/.bin/next start -H 0.0.0.0 -p "$PORT"' });
  });

  it('Node servers: npm start, no build; no install without dependencies', () => {
    expect(detectBuildPlan(template('express-api'))).toMatchObject({
      framework: 'node',
      installCommand: 'npm ci --no-audit --no-fund',
      buildCommand: null,
      serve: { kind: 'command', command: 'npm start' },
    });
    expect(detectBuildPlan(template('blank-node'))).toMatchObject({ framework: 'node', installCommand: null });
  });

  it('a build script runs before npm start; no lockfile means npm install', () => {
    const plan = detectBuildPlan(
      pkg({ scripts: { build: 'tsc', start: 'node dist/index.js' }, dependencies: { zod: '^4' } }),
    );
    expect(plan).toMatchObject({ installCommand: 'npm install --no-audit --no-fund', buildCommand: 'npm run build' });
  });

  it('without a start script: main, server.js or index.js is run with node', () => {
    expect(detectBuildPlan(pkg({ main: 'app.js' }, ['package.json', 'app.js'])).serve).toEqual({
      kind: 'command',
      command: 'node app.js',
    });
    expect(detectBuildPlan(pkg({}, ['package.json', 'server.js'])).serve).toEqual({
      kind: 'command',
      command: 'node server.js',
    });
  });

  it('static sites: index.html with or without package.json', () => {
    expect(detectBuildPlan({ packageJson: null, files: ['index.html', 'style.css'] })).toMatchObject({
      framework: 'static',
      installCommand: null,
      buildCommand: null,
      serve: { kind: 'static', dir: '.' },
    });
    expect(detectBuildPlan(pkg({}, ['package.json', 'index.html'])).framework).toBe('static');
    // Only top-level files count.
    expect(() => detectBuildPlan({ packageJson: null, files: ['docs/index.html'] })).toThrow(NothingToDeployError);
  });

  it('nothing to serve or an unreadable package.json is a NothingToDeployError', () => {
    expect(() => detectBuildPlan(pkg({ name: 'lib' }))).toThrow(NothingToDeployError);
    expect(() => detectBuildPlan({ packageJson: '{ not json', files: ['package.json'] })).toThrow(NothingToDeployError);
  });

  it('every detected plan passes the schema an edited plan is checked with', () => {
    for (const id of ['vite-react', 'nextjs', 'express-api', 'blank-node', 'static-html'])
      expect(buildPlanSchema.safeParse(detectBuildPlan(template(id))).success).toBe(true);
    const edited = { ...detectBuildPlan(template('vite-react')), serve: { kind: 'static', dir: '../etc' } };
    expect(buildPlanSchema.safeParse(edited).success).toBe(false);
  });
});

describe('build script and start command', () => {
  it('installs (prepared template deps first), builds, checks the static output, cleans the cache', () => {
    const script = buildScriptOf(detectBuildPlan(template('vite-react')));
    const order = ['berth-install --prepared-only', 'else npm ci', 'npm run build', 'dist/index.html', 'rm -rf'].map(
      (part) => script.indexOf(part),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The script file removes itself before anything else (no copy in the committed image).
    expect(script.startsWith('rm -f -- "$0"\nset -eu\n')).toBe(true);
  });

  it('skips install and build when the plan has none', () => {
    const script = buildScriptOf(detectBuildPlan(template('blank-node')));
    expect(script).not.toContain('--prepared-only');
    expect(script).not.toContain('Building');
  });

  it('starts static output with the static server, commands through sh with exec', () => {
    expect(startCommandOf(detectBuildPlan(template('vite-react')))).toEqual([
      'node',
      '/opt/berth/deploy/serve-static.cjs',
      'dist',
    ]);
    expect(startCommandOf(detectBuildPlan(template('express-api')))).toEqual(['sh', '-c', 'exec npm start']);
  });
});

describe('build-time variables', () => {
  it('passes only VITE_* and NEXT_PUBLIC_* to the build, quoted for the shell', async () => {
    const { buildTimeVariables } = await import('./build-script');
    const visible = buildTimeVariables({ VITE_API: "it's", NEXT_PUBLIC_X: '$HOME `id`', SECRET: 'no', VITEX: 'no' });
    expect(visible).toEqual({ VITE_API: "it's", NEXT_PUBLIC_X: '$HOME `id`' });
    const script = buildScriptOf(detectBuildPlan(template('vite-react')), visible);
    expect(script).not.toContain('SECRET');
    const { execFileSync } = await import('node:child_process');
    const head = script
      .split('\n')
      .filter((line) => line.startsWith('export VITE_') || line.startsWith('export NEXT_'));
    const printed = execFileSync('sh', ['-c', `${head.join('\n')}\nprintf '%s|%s' "$VITE_API" "$NEXT_PUBLIC_X"`]);
    expect(printed.toString()).toBe("it's|$HOME `id`");
  });
});
