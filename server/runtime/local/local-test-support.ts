// Test-only: a LocalProcessDriver running the real workspace agent, bundled from server/agent
// once per test process (as scripts/workspace-image.mjs bundles it for the image), in a temp
// folder that goes with the driver. As root it runs the workspace as uid 1000, like the container.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { RuntimeContractSubject } from '../runtime-contract';
import { LocalProcessDriver } from './local-driver';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
let bundled: Promise<string> | undefined;

/** The agent as one CommonJS file, readable by every user (the workspace may run as uid 1000). */
function agentBundle(): Promise<string> {
  bundled ??= (async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'berth-local-agent-'));
    chmodSync(folder, 0o755);
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    const outfile = path.join(folder, 'agent.cjs');
    await build({
      entryPoints: [path.join(root, 'server', 'agent', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      logLevel: 'warning',
      // ws loads these optional native helpers if present; the agent does without.
      external: ['bufferutil', 'utf-8-validate'],
    });
    return outfile;
  })();
  return bundled;
}

export interface LocalTestDriver extends RuntimeContractSubject {
  driver: LocalProcessDriver;
}

export async function makeLocalTestDriver(): Promise<LocalTestDriver> {
  const [bundle, baseDir] = await Promise.all([agentBundle(), mkdtemp(path.join(tmpdir(), 'berth-local-ws-'))]);
  await chmod(baseDir, 0o755);
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? { uid: 1000, gid: 1000 } : undefined;
  const driver = new LocalProcessDriver({ baseDir, agentCommand: [process.execPath, bundle], user });
  return {
    driver,
    killFromOutside: async (projectId) => {
      const pid = driver.agentPid(projectId);
      if (pid === undefined) throw new Error(`the workspace of ${projectId} is not running`);
      process.kill(pid, 'SIGKILL');
    },
    workspaceDir: (projectId) => driver.workspaceDir(projectId),
    workspaceOwner: user ? `${user.uid}:${user.gid}` : `${process.getuid?.()}:${process.getgid?.()}`,
    cleanup: async () => {
      await driver.dispose();
      await rm(baseDir, { recursive: true, force: true });
    },
  };
}
