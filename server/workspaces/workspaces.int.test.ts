// Workspace lifecycle through Berth's API and sockets, on the real Docker engine.
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProjectDto, TerminalAttachDto, WorkspaceStatusDto } from '../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace } from '../test-support/socket-client';

const docker = new Dockerode();
let t: TestServer;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await startTestServer();
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
}, 120_000);
afterAll(async () => t?.stop());

async function newProject(template = 'static-html'): Promise<ProjectDto> {
  const response = await call(
    t.baseUrl,
    'POST',
    '/api/v1/projects',
    { cookie: alice.cookie },
    { name: `ws-${Date.now()}`, template },
  );
  return (await response.json()) as ProjectDto;
}

const containersOf = (projectId: string) =>
  docker.listContainers({ all: true, filters: { label: [`berth.project=${projectId}`] } });

/** Every change of state the service pushes for one project from now on (repeats of a state are not changes). */
function recordStates(projectId: string) {
  const seen: string[] = [];
  let last: string = t.server.workspaces.status(projectId).state;
  const off = t.server.workspaces.events.on('onDidChangeStatus', (status) => {
    if (status.projectId !== projectId || status.state === last) return;
    last = status.state;
    seen.push(status.state);
  });
  return { seen, off };
}

/**
 * Holds the runtime's stop of one project until released: the moment the workspace service is
 * inside its stop, as a real signal instead of a guess at how long a stop takes.
 */
function holdRuntimeStop(projectId: string) {
  const runtime = t.server.runtime;
  const realStop = runtime.stop.bind(runtime);
  let entered!: () => void;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const spy = vi.spyOn(runtime, 'stop').mockImplementation(async (id) => {
    if (id === projectId) {
      entered();
      await released;
    }
    return realStop(id);
  });
  return {
    entered: new Promise<void>((resolve) => (entered = resolve)),
    release,
    restore: () => {
      release();
      spy.mockRestore();
    },
  };
}

describe('workspace lifecycle', () => {
  it('starts, reports, stops and starts again over REST; others get 404', async () => {
    const project = await newProject();
    const auth = { cookie: alice.cookie };
    expect(
      (
        (await (
          await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/workspace`, auth)
        ).json()) as WorkspaceStatusDto
      ).state,
    ).toBe('stopped');

    const started = await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, auth);
    expect(started.status).toBe(200);
    expect(((await started.json()) as WorkspaceStatusDto).state).toBe('running');
    expect((await containersOf(project.id))[0]?.State).toBe('running');

    for (const route of ['workspace', 'start', 'stop']) {
      const method = route === 'workspace' ? 'GET' : 'POST';
      expect(
        (await call(t.baseUrl, method, `/api/v1/projects/${project.id}/${route}`, { cookie: bob.cookie })).status,
      ).toBe(404);
    }

    const stopped = await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/stop`, auth);
    expect(((await stopped.json()) as WorkspaceStatusDto).state).toBe('stopped');
    expect((await containersOf(project.id))[0]?.State).toBe('exited');

    expect(
      (
        (await (
          await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, auth)
        ).json()) as WorkspaceStatusDto
      ).state,
    ).toBe('running');
    await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, auth);
  });

  it('a file call while the workspace stops is refused with workspace_stopping and does not start it again', async () => {
    const project = await newProject();
    const auth = { cookie: alice.cookie };
    await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, auth);
    const states = recordStates(project.id);
    const runtimeStop = holdRuntimeStop(project.id);
    try {
      const stopping = call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/stop`, auth);
      // The service is inside its stop (snapshot taken, 'stopping' pushed) and the container still runs.
      await runtimeStop.entered;
      expect(states.seen).toEqual(['stopping']);
      const listing = await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/files?path=`, auth);
      expect(listing.status).toBe(409);
      expect(((await listing.json()) as { error: string }).error).toBe('workspace_stopping');
      runtimeStop.release();
      expect(((await (await stopping).json()) as WorkspaceStatusDto).state).toBe('stopped');
      // The refused call left nothing behind that could start the workspace later.
      expect(states.seen).toEqual(['stopping', 'stopped']);
      expect(t.server.workspaces.status(project.id).state).toBe('stopped');
      expect((await containersOf(project.id))[0]?.State).toBe('exited');
    } finally {
      runtimeStop.restore();
      states.off();
      await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, auth);
    }
  });

  it('a file call after the stop has finished starts the workspace again and is answered', async () => {
    const project = await newProject();
    const auth = { cookie: alice.cookie };
    await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, auth);
    const stopped = await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/stop`, auth);
    expect(((await stopped.json()) as WorkspaceStatusDto).state).toBe('stopped');
    const states = recordStates(project.id);
    try {
      const listing = await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/files?path=`, auth);
      expect(listing.status).toBe(200);
      expect(states.seen).toEqual(['starting', 'running']);
      expect((await containersOf(project.id))[0]?.State).toBe('running');
    } finally {
      states.off();
      await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, auth);
    }
  });

  it('seeds a new project from its template', async () => {
    const project = await newProject('express-api');
    const client = await connectAs(t, alice);
    try {
      await openRunningWorkspace(client, project.id);
      const terminal = await client.ok<TerminalAttachDto>('terminal:create', {
        projectId: project.id,
        cols: 120,
        rows: 30,
      });
      const out = client.output(terminal.id);
      await client.ok('terminal:input', {
        terminalId: terminal.id,
        data: "ls -n /workspace && node -e \"console.log(require('./package.json').name + '-ok')\"\r",
      });
      const text = await out.until(/-ok\r?\n/);
      expect(text).toMatch(/1000\s+1000\s+\d+.*package\.json/);
    } finally {
      client.close();
      await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
    }
  });

  it('makes one container when two tabs open the project at once', async () => {
    const project = await newProject();
    const [tabA, tabB] = await Promise.all([connectAs(t, alice), connectAs(t, alice)]);
    try {
      await Promise.all([openRunningWorkspace(tabA, project.id), openRunningWorkspace(tabB, project.id)]);
      expect(await containersOf(project.id)).toHaveLength(1);
      const status = t.server.workspaces.status(project.id);
      expect(status.idle?.keptUpBy).toEqual(['2 open tabs']);
    } finally {
      tabA.close();
      tabB.close();
      await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
    }
  });

  it('notices a container killed from outside, and reopening starts it with the files intact', async () => {
    const project = await newProject();
    const client = await connectAs(t, alice);
    try {
      await openRunningWorkspace(client, project.id);
      const terminal = await client.ok<TerminalAttachDto>('terminal:create', {
        projectId: project.id,
        cols: 80,
        rows: 24,
      });
      const out = client.output(terminal.id);
      await client.ok('terminal:input', {
        terminalId: terminal.id,
        data: 'echo kept > /workspace/survivor.txt && echo written\r',
      });
      // The whole line: the echoed command line contains "written" too.
      await out.until(/^written\r?$/m);

      const noticed = client.waitFor<WorkspaceStatusDto>(
        'workspace:status',
        (status) => status.projectId === project.id && status.state !== 'running',
        10_000,
      );
      const [info] = await containersOf(project.id);
      await docker.getContainer(info!.Id).kill();
      const status = await noticed;
      expect(status.state).toBe('stopped');
      expect(status.lastExit).toBeDefined();

      await openRunningWorkspace(client, project.id);
      const again = await client.ok<TerminalAttachDto>('terminal:create', {
        projectId: project.id,
        cols: 80,
        rows: 24,
      });
      const againOut = client.output(again.id);
      await client.ok('terminal:input', { terminalId: again.id, data: 'cat /workspace/survivor.txt\r' });
      await againOut.until(/^kept\r?$/m);
    } finally {
      client.close();
      await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
    }
  });

  it('removes the container and volume when the project is deleted', async () => {
    const project = await newProject();
    await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, { cookie: alice.cookie });
    expect(await containersOf(project.id)).toHaveLength(1);
    expect((await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie })).status).toBe(
      204,
    );
    for (let i = 0; i < 100 && (await containersOf(project.id)).length > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await containersOf(project.id)).toHaveLength(0);
    const { Volumes } = await docker.listVolumes({ filters: { label: [`berth.project=${project.id}`] } });
    expect(Volumes ?? []).toHaveLength(0);
  });

  it('stops a workspace that nobody uses once the idle time has passed', async () => {
    const project = await newProject();
    await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, { cookie: alice.cookie });
    expect(await t.server.workspaces.reapIdle()).not.toContain(project.id); // just started: not idle yet
    const realNow = Date.now;
    try {
      Date.now = () => realNow() + 31 * 60_000;
      expect(await t.server.workspaces.reapIdle()).toContain(project.id);
    } finally {
      Date.now = realNow;
    }
    expect(t.server.workspaces.status(project.id).state).toBe('stopped');
    await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
  });
});

describe('Docker engine unreachable', () => {
  it('answers 503 with a clear message while the rest of the API keeps working', async () => {
    const offline = await startTestServer({ DOCKER_HOST: 'unix:///tmp/berth-no-engine.sock' });
    try {
      const user = await createSignedInUser(offline.baseUrl);
      const created = await call(
        offline.baseUrl,
        'POST',
        '/api/v1/projects',
        { cookie: user.cookie },
        { name: 'offline', template: 'blank-node' },
      );
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as ProjectDto;
      for (const [method, route] of [
        ['POST', 'start'],
        ['GET', 'workspace'],
      ] as const) {
        const response = await call(offline.baseUrl, method, `/api/v1/projects/${id}/${route}`, {
          cookie: user.cookie,
        });
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({
          error: 'engine_unavailable',
          message: 'Docker engine unreachable',
        });
      }
      expect((await call(offline.baseUrl, 'GET', '/api/v1/projects', { cookie: user.cookie })).status).toBe(200);
      expect((await call(offline.baseUrl, 'GET', '/api/ready')).status).toBe(200);
    } finally {
      await offline.stop();
    }
  });
});
