// /metrics on a real server and the real Docker engine: open without METRICS_TOKEN, a bearer
// token with it, and the workspace gauge follows a workspace opened over Socket.IO.
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectDto } from '../contracts';
import { call, createSignedInUser, startTestServer, type TestServer } from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace } from '../test-support/socket-client';

const servers: TestServer[] = [];
afterAll(async () => Promise.all(servers.map((server) => server.stop())));

async function serverWithRunningWorkspace(env: Record<string, string>) {
  const t = await startTestServer(env);
  servers.push(t);
  const user = await createSignedInUser(t.baseUrl);
  const project = (await (
    await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: user.cookie },
      { name: 'metered', template: 'static-html' },
    )
  ).json()) as ProjectDto;
  const client = await connectAs(t, user);
  await openRunningWorkspace(client, project.id);
  return { t, user, project, client };
}

describe('/metrics', () => {
  it('is open without METRICS_TOKEN and counts running workspaces, starts and snapshots', async () => {
    const { t, user, project, client } = await serverWithRunningWorkspace({});
    await call(
      t.baseUrl,
      'POST',
      `/api/v1/projects/${project.id}/snapshots`,
      { cookie: user.cookie },
      { label: 'measured' },
    );
    const response = await fetch(`${t.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('berth_workspaces{state="running"} 1');
    expect(text).toContain('berth_workspaces{state="error"} 0');
    expect(text).toMatch(/^berth_workspace_start_seconds_count 1$/m);
    expect(text).toMatch(/^berth_snapshot_seconds_count\{reason="manual"\} 1$/m);
    expect(text).toContain('berth_terminal_sessions 0');
    expect(text).toContain('# TYPE berth_preview_bytes_total counter');
    expect(text).toContain('# TYPE berth_errors_total counter');
    expect(text).toContain('process_cpu_user_seconds_total');
    client.close();
  });

  it('wants the bearer token when METRICS_TOKEN is set', async () => {
    const token = 'scrape-me-0123456789';
    const { t, client } = await serverWithRunningWorkspace({ METRICS_TOKEN: token });
    expect((await fetch(`${t.baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    const response = await fetch(`${t.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('berth_workspaces{state="running"} 1');
    client.close();
  });
});
