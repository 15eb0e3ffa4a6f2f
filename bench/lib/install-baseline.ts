// Figure 3's "for scale": what the install step would cost without the dependencies prepared in
// the workspace image — `npm install` of the template's package.json + lockfile into a fresh
// folder with an empty npm cache (a first Run anywhere else) — next to berth-install doing the
// same folder (a copy), in /tmp and in /workspace (where the agent's watcher sees it). In one
// long-lived shell in a workspace container; the npm installs go to /tmp, unwatched.
import type Dockerode from 'dockerode';
import { openShell } from './shell';

export interface InstallBaseline {
  /** berth-install into a fresh copy of package.json + package-lock.json, in /tmp (unwatched). */
  berthInstallMs: number;
  /** The same in a fresh folder of /workspace, where the agent's watcher sees the copy. */
  berthInstallWatchedMs: number;
  /** npm install, empty cache, registry over the network. */
  npmColdMs: number;
  /** npm install again into a fresh folder, with the cache the cold one filled. */
  npmWarmCacheMs: number;
  packages: number;
}

export async function measureInstallBaseline(
  docker: Dockerode,
  container: Dockerode.Container,
  timeoutMs: number,
): Promise<InstallBaseline> {
  const shell = await openShell(docker, container, timeoutMs);
  try {
    const timedRun = async (command: string) => {
      const sent = performance.now();
      const result = await shell.run(command, timeoutMs);
      if (result.status !== 0)
        throw new Error(`\`${command}\` failed (${result.status}): ${result.output.slice(-300)}`);
      return { ms: result.at - sent, output: result.output };
    };
    const fresh = (dir: string) =>
      `rm -rf ${dir} && mkdir -p ${dir} && cp /workspace/package.json /workspace/package-lock.json ${dir}/ && cd ${dir}`;
    const npm = 'npm install --no-audit --no-fund --cache /tmp/bench-npm-cache';
    await timedRun('rm -rf /tmp/bench-npm-cache');
    const copy = await timedRun(`(${fresh('/tmp/bench-copy')} && berth-install >/dev/null)`);
    // berth-install copies into node_modules.berth-tmp, not a heavy name: the agent watches it as it fills.
    const watched = await timedRun(`(${fresh('/workspace/.bench-copy')} && berth-install >/dev/null)`);
    await timedRun('rm -rf /workspace/.bench-copy');
    const cold = await timedRun(
      `(${fresh('/tmp/bench-cold')} && ${npm} --prefer-online 2>&1 | grep -E '^(added|up to date)')`,
    );
    const warm = await timedRun(`(${fresh('/tmp/bench-warm')} && ${npm} --prefer-offline >/dev/null 2>&1)`);
    console.log(`  npm install (empty cache): ${cold.output.trim()}`);
    await timedRun('rm -rf /tmp/bench-copy /tmp/bench-cold /tmp/bench-warm /tmp/bench-npm-cache');
    return {
      berthInstallMs: copy.ms,
      berthInstallWatchedMs: watched.ms,
      npmColdMs: cold.ms,
      npmWarmCacheMs: warm.ms,
      packages: Number(/added (\d+) packages/.exec(cold.output)?.[1] ?? NaN),
    };
  } finally {
    shell.close();
  }
}
