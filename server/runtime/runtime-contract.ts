// The contract every RuntimeDriver passes: the Docker driver (on the real engine) and the local
// process driver (a fast fake for unit tests of the services above the runtime); Kubernetes later.
// Test-only: imported by each driver's tests, never by production code. Every test uses fresh
// project ids and removes what it made, pass or fail. What differs between drivers by design —
// where the workspace is as seen by its processes, and whose files are in it — the subject says.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pack as tarPack } from 'tar-stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceNotRunningError, type RuntimeDriver, type RuntimeEvent } from './runtime-driver';
import { agentGet, collect, run, waitUntil } from './runtime-test-helpers';

export interface RuntimeContractSubject {
  driver: RuntimeDriver;
  /** Ends the workspace's main process the way a crash or an operator would (docker kill). */
  killFromOutside(projectId: string): Promise<void>;
  /** The workspace's folder as its processes see it (the working directory of exec): /workspace in a container. */
  workspaceDir(projectId: string): string;
  /** `uid:gid` owning the workspace's files and running its processes: 1000:1000 in a container. */
  workspaceOwner: string;
  cleanup(): Promise<void>;
}

export function describeRuntimeContract(name: string, makeDriver: () => Promise<RuntimeContractSubject>): void {
  describe(`runtime contract: ${name}`, () => {
    let subject: RuntimeContractSubject | undefined;
    const made = new Set<string>();
    const driver = () => {
      if (!subject) throw new Error('the driver under test was not created');
      return subject.driver;
    };
    const newProject = () => {
      const projectId = `test-${randomBytes(5).toString('hex')}`;
      made.add(projectId);
      return projectId;
    };

    beforeAll(async () => {
      subject = await makeDriver();
    });
    afterEach(async () => {
      const ids = [...made];
      made.clear();
      if (subject) await Promise.all(ids.map((id) => subject!.driver.remove(id)));
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    it('starts one workspace however many callers ask at once', async () => {
      const projectId = newProject();
      const [first, second] = await Promise.all([
        driver().ensureRunning({ projectId }),
        driver().ensureRunning({ projectId }),
      ]);
      expect(first.state).toBe('running');
      expect(first.agent?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(second.agent).toEqual(first.agent);
      const again = await driver().ensureRunning({ projectId });
      expect(again.agent).toEqual(first.agent);
      const listed = (await driver().list()).filter((workspace) => workspace.projectId === projectId);
      expect(listed).toHaveLength(1);
      expect(listed[0]?.state).toBe('running');
      expect(listed[0]?.agent).toEqual(first.agent);
    });

    it('serves the agent only to callers holding the secret', async () => {
      const projectId = newProject();
      const { agent } = await driver().ensureRunning({ projectId });
      expect(agent?.secret.length).toBeGreaterThanOrEqual(16);
      const ok = await agentGet(agent!.url, '/health', agent!.secret);
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toMatchObject({ status: 'ok' });
      expect((await agentGet(agent!.url, '/health')).status).toBe(401);
      expect((await agentGet(agent!.url, '/health', 'x'.repeat(64))).status).toBe(401);
    });

    it('runs a command without a tty: output and exit code', async () => {
      const projectId = newProject();
      await driver().ensureRunning({ projectId });
      expect(await run(driver(), projectId, ['echo', 'hi'])).toEqual({ output: 'hi\n', code: 0 });
      const failing = await run(driver(), projectId, ['sh', '-c', 'echo oops >&2; exit 3']);
      expect(failing).toEqual({ output: 'oops\n', code: 3 });
      const where = await run(driver(), projectId, ['sh', '-c', 'pwd; echo "$GREETING"'], {
        env: { GREETING: 'hello' },
      });
      expect(where.output).toBe(`${subject!.workspaceDir(projectId)}\nhello\n`);
      expect((await run(driver(), projectId, ['id', '-u'])).output).toBe(`${subject!.workspaceOwner.split(':')[0]}\n`);
    });

    it('runs a login shell with a tty: echo, size and resize', async () => {
      const projectId = newProject();
      await driver().ensureRunning({ projectId });
      const shell = await driver().exec(projectId, ['bash', '-l'], { tty: true, cols: 100, rows: 30 });
      const out = collect(shell);
      shell.write('echo mark-$((6*7))\r');
      await out.waitFor(/mark-42/);
      shell.write('stty size\r');
      await out.waitFor(/30 100/);
      await shell.resize(132, 43);
      shell.write('stty size\r');
      await out.waitFor(/43 132/);
      const exited = new Promise<number | null>((resolve) => shell.onExit(resolve));
      shell.write('exit 5\r');
      expect(await exited).toBe(5);
    });

    it('ends a session on close() even when the process ignores end of input', async () => {
      const projectId = newProject();
      await driver().ensureRunning({ projectId });
      const shell = await driver().exec(projectId, ['bash', '-l'], { tty: true, cols: 80, rows: 24 });
      const out = collect(shell);
      shell.write('echo "ready-$$"\r');
      await out.waitFor(/ready-\d+/);
      const pid = /ready-(\d+)/.exec(out.text())![1];
      const exited = new Promise<number | null>((resolve) => shell.onExit(resolve));
      shell.close();
      await exited;
      // The shell itself is gone from the workspace, not merely detached from the session.
      const left = await run(driver(), projectId, [
        'sh',
        '-c',
        `kill -0 ${pid} 2>/dev/null && echo alive || echo gone`,
      ]);
      expect(left.output).toBe('gone\n');
    });

    it("keeps the workspace's files across stop and start", async () => {
      const projectId = newProject();
      await driver().ensureRunning({ projectId });
      await run(driver(), projectId, ['sh', '-c', 'echo kept > note.txt']);
      await driver().stop(projectId);
      expect((await driver().inspect(projectId)).state).toBe('stopped');
      await driver().stop(projectId); // stopping a stopped workspace is fine
      await expect(driver().exec(projectId, ['true'], { tty: false })).rejects.toBeInstanceOf(WorkspaceNotRunningError);
      expect(await driver().stats(projectId)).toBeNull();
      const restarted = await driver().ensureRunning({ projectId });
      expect(restarted.state).toBe('running');
      expect(restarted.createdVolume).toBe(false);
      expect((await agentGet(restarted.agent!.url, '/health', restarted.agent!.secret)).status).toBe(200);
      expect((await run(driver(), projectId, ['cat', 'note.txt'])).output).toBe('kept\n');
    });

    it('removes a workspace completely', async () => {
      const projectId = newProject();
      await driver().ensureRunning({ projectId });
      await driver().remove(projectId);
      expect((await driver().inspect(projectId)).state).toBe('missing');
      expect((await driver().list()).some((workspace) => workspace.projectId === projectId)).toBe(false);
      await driver().remove(projectId); // removing a missing workspace is fine
      await driver().stop(projectId);
      await expect(driver().exec(projectId, ['true'], { tty: false })).rejects.toBeInstanceOf(WorkspaceNotRunningError);
      // A new workspace of the same project starts from an empty volume.
      expect((await driver().ensureRunning({ projectId })).createdVolume).toBe(true);
    });

    it('reports a workspace killed from outside', async () => {
      const projectId = newProject();
      const events: RuntimeEvent[] = [];
      const off = driver().onEvent((event) => {
        if (event.projectId === projectId) events.push(event);
      });
      try {
        await driver().ensureRunning({ projectId });
        await waitUntil(() => events.some((event) => event.type === 'started'), 10_000);
        await subject!.killFromOutside(projectId);
        await waitUntil(() => events.some((event) => event.type === 'exited'), 10_000);
        const exited = events.find((event) => event.type === 'exited');
        expect(exited).toMatchObject({ type: 'exited', projectId, oomKilled: false });
        expect((await driver().inspect(projectId)).state).toBe('stopped');
      } finally {
        off();
      }
    });

    it('seeds a new workspace from a folder, owned by the workspace user, and only once', async () => {
      const projectId = newProject();
      const folder = mkdtempSync(path.join(tmpdir(), 'berth-seed-'));
      try {
        writeFileSync(path.join(folder, 'hello.txt'), 'from the template\n');
        mkdirSync(path.join(folder, 'src'));
        writeFileSync(path.join(folder, 'src', 'main.js'), 'console.log(1);\n');
        const first = await driver().ensureRunning({ projectId, seedFrom: folder });
        expect(first.createdVolume).toBe(true);
        const listing = await run(driver(), projectId, [
          'sh',
          '-c',
          'cat hello.txt; stat -c "%u:%g %n" hello.txt src src/main.js .',
        ]);
        const owner = subject!.workspaceOwner;
        expect(listing.output).toBe(
          `from the template\n${owner} hello.txt\n${owner} src\n${owner} src/main.js\n${owner} .\n`,
        );
        await run(driver(), projectId, ['rm', 'hello.txt']);
        await driver().stop(projectId);
        const second = await driver().ensureRunning({ projectId, seedFrom: folder });
        expect(second.createdVolume).toBe(false);
        expect((await run(driver(), projectId, ['ls'])).output).toBe('src\n');
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it('seeds a new workspace from an archive instead of the folder, and only once', async () => {
      const projectId = newProject();
      const folder = mkdtempSync(path.join(tmpdir(), 'berth-seed-'));
      let archivesAsked = 0;
      const seedArchive = async () => {
        archivesAsked++;
        const pack = tarPack();
        const owner = { uid: 1000, gid: 1000 };
        pack.entry({ name: 'lib', type: 'directory', mode: 0o755, ...owner });
        pack.entry({ name: 'lib/a.js', mode: 0o644, ...owner }, 'restored\n');
        pack.entry({ name: 'run.sh', mode: 0o755, ...owner }, '#!/bin/sh\necho ran\n');
        pack.finalize();
        // tar-stream's Pack is a streamx Readable, which Node's stream APIs read.
        return pack as unknown as NodeJS.ReadableStream;
      };
      try {
        writeFileSync(path.join(folder, 'template.txt'), 'from the template\n');
        const first = await driver().ensureRunning({ projectId, seedFrom: folder, seedArchive });
        expect(first.createdVolume).toBe(true);
        const listing = await run(driver(), projectId, [
          'sh',
          '-c',
          'ls; cat lib/a.js; ./run.sh; stat -c "%u:%g" lib/a.js',
        ]);
        expect(listing.output).toBe(`lib\nrun.sh\nrestored\nran\n${subject!.workspaceOwner}\n`);
        await driver().stop(projectId);
        expect((await driver().ensureRunning({ projectId, seedFrom: folder, seedArchive })).createdVolume).toBe(false);
        expect(archivesAsked).toBe(1);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it('reports resource use of a running workspace', async () => {
      const projectId = newProject();
      await driver().ensureRunning({ projectId });
      const stats = await driver().stats(projectId);
      expect(stats).not.toBeNull();
      expect(stats!.pids).toBeGreaterThan(0);
      expect(stats!.memoryBytes).toBeGreaterThan(0);
      expect(stats!.memoryLimitBytes).toBeGreaterThan(stats!.memoryBytes);
      expect(stats!.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(await driver().stats(newProject())).toBeNull();
    });
  });
}
