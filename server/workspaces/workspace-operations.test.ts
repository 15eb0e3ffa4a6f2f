// Starts and stops of WorkspaceService over the local-process runtime (the real workspace agent as a process, which
// passes the same contract suite as the Docker driver): the order of starts and stops, what a
// status reads at each step, and the snapshot hooks. The same service on Docker is covered by
// the *.int.test.ts files beside this one.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import tarFs from 'tar-fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceState, WorkspaceStatusDto } from '../contracts';
import { createLogger } from '../core/logger';
import { makeLocalTestDriver, type LocalTestDriver } from '../runtime/local/local-test-support';
import { WorkspaceService } from './workspace-service';

const templatesDir = path.resolve(import.meta.dirname, '..', '..', 'docker', 'templates');
const MISSING = 'project-that-is-gone';

let subject: LocalTestDriver;
let service: WorkspaceService;
let states: WorkspaceState[];
let projectId: string;
let counter = 0;

beforeEach(async () => {
  subject = await makeLocalTestDriver();
  service = new WorkspaceService(
    subject.driver,
    {
      lookup: async (id) => (id === MISSING ? null : { template: 'static-html', ownerId: 'owner', name: id }),
    },
    { templatesDir, idleMinutes: 30 },
    createLogger('silent'),
  );
  states = [];
  service.events.on('onDidChangeStatus', (status) => void states.push(status.state));
  projectId = `lifecycle-${process.pid}-${++counter}`;
});

afterEach(async () => {
  service.dispose();
  await subject.cleanup();
});

/** The next status of the project that satisfies `accept`, pushed by the service. */
function nextStatus(accept: (status: WorkspaceStatusDto) => boolean): Promise<WorkspaceStatusDto> {
  return new Promise((resolve) => {
    const off = service.events.on('onDidChangeStatus', (status) => {
      if (status.projectId !== projectId || !accept(status)) return;
      off();
      resolve(status);
    });
  });
}

describe('WorkspaceService lifecycle', () => {
  it('makes one start of two calls, and stops', async () => {
    const first = service.start(projectId);
    expect(service.start(projectId)).toBe(first);
    expect(service.status(projectId).state).toBe('starting');
    expect((await first).state).toBe('running');
    expect(service.agent(projectId)?.isOpen).toBe(true);
    expect((await service.stop(projectId)).state).toBe('stopped');
    expect(service.agent(projectId)).toBeUndefined();
    expect(states).toEqual(['starting', 'running', 'stopping', 'stopped']);
    expect((await subject.driver.inspect(projectId)).state).toBe('stopped');
  });

  it('a stop asked for during a start waits for it, then snapshots while the workspace still runs', async () => {
    const seen: string[] = [];
    service.attachHooks({
      beforeStop: async (id) => {
        seen.push(`${service.status(id).state}, agent ${service.agent(id) ? 'connected' : 'gone'}`);
      },
    });
    const starting = service.start(projectId);
    const stopping = service.stop(projectId);
    expect(service.stop(projectId)).toBe(stopping);
    // Whoever merely needs the workspace must not undo the stop that is on its way.
    await expect(service.ensureRunning(projectId)).rejects.toMatchObject({ code: 'workspace_stopping' });
    expect((await starting).state).toBe('running');
    expect((await stopping).state).toBe('stopped');
    expect(seen).toEqual(['running, agent connected']);
    expect(states).toEqual(['starting', 'running', 'stopping', 'stopped']);
  });

  it('a start asked for during a stop begins once the stop has ended', async () => {
    await service.start(projectId);
    let finishSnapshot!: () => void;
    service.attachHooks({ beforeStop: () => new Promise<void>((resolve) => (finishSnapshot = resolve)) });
    const stopping = service.stop(projectId);
    const restarting = service.start(projectId);
    expect(service.start(projectId)).toBe(restarting);
    // Taking the snapshot before stop: still running for the tabs.
    expect(service.status(projectId).state).toBe('running');
    finishSnapshot();
    expect((await stopping).state).toBe('stopped');
    expect((await restarting).state).toBe('running');
    expect(states).toEqual(['starting', 'running', 'stopping', 'stopped', 'starting', 'running']);
  });

  it('a container that ends unasked reads as stopped with how it ended, until the next start', async () => {
    await service.start(projectId);
    const stopped = nextStatus((status) => status.state === 'stopped');
    await subject.killFromOutside(projectId);
    expect((await stopped).lastExit).toMatchObject({ exitCode: 137, oomKilled: false });
    expect(service.agent(projectId)).toBeUndefined();
    const started = await service.start(projectId);
    expect(started.state).toBe('running');
    expect(started.lastExit).toBeUndefined();
  });

  it('a lost agent connection of a workspace that still runs is made again, and tabs only ever see running', async () => {
    await service.start(projectId);
    const lost = service.agent(projectId);
    const reconnected = new Promise<void>((resolve) => service.events.on('onDidReconnectAgent', () => resolve()));
    // As when the Docker engine restarts under a live-restored container: the socket ends, the workspace runs on.
    lost?.close();
    expect(service.status(projectId).state).toBe('running');
    await reconnected;
    expect(service.agent(projectId)?.isOpen).toBe(true);
    expect(service.agent(projectId)).not.toBe(lost);
    expect(states).toEqual(['starting', 'running', 'running']);
  });

  it('a failed start reads as error, and a stop asked for meanwhile still runs after it', async () => {
    projectId = MISSING;
    const starting = service.start(projectId);
    const stopping = service.stop(projectId);
    expect(await starting).toMatchObject({ state: 'error', error: { code: 'not_found' } });
    expect(await stopping).toMatchObject({ state: 'stopped', error: undefined });
    expect(states).toEqual(['starting', 'error', 'stopping', 'stopped']);
  });

  it('a stop for a reason says so until the next start', async () => {
    await service.start(projectId);
    const reason = { code: 'disk_full', message: 'Stopped: disk limit exceeded' };
    expect(await service.stopBecause(projectId, reason)).toMatchObject({ state: 'stopped', error: reason });
    const started = await service.start(projectId);
    expect(started.state).toBe('running');
    expect(started.error).toBeUndefined();
  });

  it('a new volume is filled from the attached seed (the latest snapshot), and the status says so', async () => {
    const source = await mkdtemp(path.join(tmpdir(), 'berth-seed-'));
    try {
      await writeFile(path.join(source, 'from-snapshot.txt'), 'kept\n');
      const snapshot = { snapshotId: 'snap-1', createdAt: '2026-01-01T00:00:00.000Z' };
      const detach = service.attachHooks({
        seedFor: async () => ({ archive: async () => tarFs.pack(source).pipe(new PassThrough()), snapshot }),
      });
      const started = await service.start(projectId);
      expect(started.restoredFrom).toEqual(snapshot);
      const listed = await service.agent(projectId)?.request('fs.list', { path: '' });
      expect(JSON.stringify(listed)).toContain('from-snapshot.txt');
      // Detached: a stop takes no snapshot, and the volume (no longer new) is not seeded again.
      detach();
      await service.stop(projectId);
      expect((await service.start(projectId)).restoredFrom).toBeUndefined();
    } finally {
      await rm(source, { recursive: true, force: true });
    }
  });
});
