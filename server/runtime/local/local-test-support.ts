// Test-only: a LocalProcessDriver running the real workspace agent, bundled from server/agent
// (as scripts/workspace-image.mjs bundles it for the image) into a temp folder that goes with
// the driver. As root it runs the workspace as uid 1000, like the container.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { RuntimeContractSubject } from '../runtime-contract';
import { LocalProcessDriver } from './local-driver';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

let bundled: Promise<Uint8Array> | undefined;

/** The agent as one CommonJS file in `folder`; built once per test process (esbuild, about 0.1 s). */
async function bundleAgent(folder: string): Promise<string> {
  bundled ??= build({
    entryPoints: [path.join(root, 'server', 'agent', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    outfile: 'agent.cjs',
    logLevel: 'warning',
    // ws loads these optional native helpers if present; the agent does without.
    external: ['bufferutil', 'utf-8-validate'],
  }).then((result) => result.outputFiles[0]!.contents);
  const outfile = path.join(folder, 'agent.cjs');
  await writeFile(outfile, await bundled, { mode: 0o644 });
  return outfile;
}

export interface LocalTestDriver extends RuntimeContractSubject {
  driver: LocalProcessDriver;
}

export async function makeLocalTestDriver(): Promise<LocalTestDriver> {
  // One temp folder for everything, removed by cleanup(): the agent bundle, then a folder per project.
  const folder = await mkdtemp(path.join(tmpdir(), 'berth-local-'));
  const baseDir = path.join(folder, 'workspaces');
  try {
    // Readable and traversable by every user: the workspace may run as uid 1000.
    await chmod(folder, 0o755);
    await mkdir(baseDir, { mode: 0o755 });
    const bundle = await bundleAgent(folder);
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
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}
