// What the build container runs and what the image starts, from a plan: one shell script (as
// uid 1000 in /workspace: install, build, check the output, clean up) and the image's command.
import type { BuildPlan } from './build-plan';
import { shellQuote } from './build-plan';
import { STATIC_SERVER_PATH } from './static-server-source';

export const APP_DIR = '/workspace';
/** The build's home and npm cache: removed before the commit so no cache lands in the image. */
const BUILD_HOME = '/tmp/berth-build-home';

/** Lines starting with this mark a step in the build log (the UI can show progress from them). */
export const STEP_MARK = '›';

/**
 * The environment's variables the build sees: those public by nature (Vite bakes VITE_* into the
 * bundle, Next.js NEXT_PUBLIC_*). Others (secrets) reach only the running container.
 */
export function buildTimeVariables(variables: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).filter(([name]) => name.startsWith('VITE_') || name.startsWith('NEXT_PUBLIC_')),
  );
}

/**
 * `buildVariables` are exported by the script itself, not set as the build container's Env: the
 * commit keeps the container's Env (and, on Docker ≤ 25, its command) in the image. The driver
 * runs the script as a file (`sh <path>`), which removes itself first so the committed image keeps
 * no copy. Their values never reach the log (no `set -x`).
 */
export function buildScriptOf(plan: BuildPlan, buildVariables: Record<string, string> = {}): string {
  const lines = [
    'rm -f -- "$0"',
    'set -eu',
    ...Object.entries(buildVariables).map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`),
    `export HOME=${BUILD_HOME} npm_config_cache=${BUILD_HOME}/.npm npm_config_update_notifier=false npm_config_fund=false NEXT_TELEMETRY_DISABLED=1`,
    'mkdir -p "$HOME"',
    `cd ${APP_DIR}`,
    `step() { printf '${STEP_MARK} %s\\n' "$1"; }`,
  ];
  if (plan.installCommand) {
    lines.push(
      `step ${shellQuote(`Installing dependencies: ${plan.installCommand}`)}`,
      // A project whose package files are a template's gets the image's prepared node_modules (offline, seconds).
      'if [ -f package.json ] && command -v berth-install >/dev/null; then berth-install --prepared-only .; fi',
      `if [ -f node_modules/.berth-template ]; then echo "Dependencies ready (prepared in the image)."; else ${plan.installCommand}; fi`,
    );
  }
  if (plan.buildCommand) lines.push(`step ${shellQuote(`Building: ${plan.buildCommand}`)}`, plan.buildCommand);
  switch (plan.serve.kind) {
    case 'static': {
      const dir = shellQuote(plan.serve.dir);
      lines.push(
        `if [ ! -f ${dir}/index.html ]; then echo "The build left no ${plan.serve.dir}/index.html to serve." >&2; exit 1; fi`,
      );
      break;
    }
    case 'command':
      break;
  }
  lines.push(`rm -rf ${BUILD_HOME} /tmp/berth-install.lock`, `step 'Build finished'`);
  return lines.join('\n') + '\n';
}

/** The image's command (under the workspace image's tini), run in /workspace. */
export function startCommandOf(plan: BuildPlan): string[] {
  switch (plan.serve.kind) {
    case 'static':
      return ['node', STATIC_SERVER_PATH, plan.serve.dir];
    case 'command':
      return ['sh', '-c', `exec ${plan.serve.command}`];
  }
}
