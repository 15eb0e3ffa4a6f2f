// PostgreSQL goes away while a workspace is in use: the automatic snapshot fails, the failure
// reaches the project's tab, the terminal keeps working, and once the database is back the
// retry stores the change. "Away" is real: the database refuses connections and every open one
// is terminated (ALTER DATABASE … ALLOW_CONNECTIONS false), so Prisma's queries fail as in an outage.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDto, SnapshotDto, SnapshotStatusDto, TerminalAttachDto } from '../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

let t: TestServer;
let alice: TestUser;
let tab: TestSocket;
let project: ProjectDto;
let admin: pg.Client;

beforeAll(async () => {
  t = await startTestServer({ SNAPSHOT_DEBOUNCE_SECONDS: '1' });
  alice = await createSignedInUser(t.baseUrl);
  project = (await (
    await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Faults', template: 'blank-node' },
    )
  ).json()) as ProjectDto;
  tab = await connectAs(t, alice);
  await openRunningWorkspace(tab, project.id);
  const url = new URL(t.server.database.url);
  url.pathname = '/postgres';
  admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
}, 120_000);

afterAll(async () => {
  await setDatabaseUp(true).catch(() => undefined);
  await admin?.end();
  tab?.close();
  if (project) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
  await t?.stop();
});

async function setDatabaseUp(up: boolean): Promise<void> {
  const database = new URL(t.server.database.url).pathname.slice(1);
  await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS ${up ? 'true' : 'false'}`);
  if (!up)
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
}

describe('PostgreSQL down during a snapshot', () => {
  it('shows the failure, keeps the terminal working, and stores the change once the database is back', async () => {
    const terminal = await tab.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, cols: 80, rows: 24 });
    const out = tab.output(terminal.id);
    await tab.ok('terminal:input', { terminalId: terminal.id, data: 'echo ready-$((1+1))\r' });
    await out.until(/ready-2/, 30_000);

    await setDatabaseUp(false);
    const failed = tab.waitFor<SnapshotStatusDto>(
      'snapshot:status',
      (status) => status.projectId === project.id && status.state === 'failed',
      20_000,
    );
    await tab.ok('terminal:input', {
      terminalId: terminal.id,
      data: 'echo written-while-down > outage.txt && echo done-$((40+2))\r',
    });
    const failure = await failed;
    expect(failure.error).toMatch(/^Snapshot failed: /);
    expect(Date.parse(failure.retryAt!)).toBeGreaterThan(Date.now() - 1000);
    // The workspace is not the database: the shell still answers.
    await out.until(/done-42/, 10_000);
    await tab.ok('terminal:input', { terminalId: terminal.id, data: 'echo still-$((6*7))\r' });
    await out.until(/still-42/, 10_000);

    const recovered = tab.waitFor<SnapshotStatusDto>(
      'snapshot:status',
      (status) => status.projectId === project.id && status.state === 'idle' && Boolean(status.lastSnapshotAt),
      60_000,
    );
    await setDatabaseUp(true);
    await recovered;
    const [latest] = (await (
      await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/snapshots`, { cookie: alice.cookie })
    ).json()) as SnapshotDto[];
    const file = await call(
      t.baseUrl,
      'GET',
      `/api/v1/projects/${project.id}/snapshots/${latest!.id}/file?path=outage.txt`,
      { cookie: alice.cookie },
    );
    expect(await file.text()).toBe('written-while-down\n');
  }, 120_000);
});
