// PostgreSQL hangs for 30 s (every postgres process SIGSTOPped: TCP is accepted, nothing answers)
// while a tab keeps saving files in its running workspace and uses its terminal, and REST calls
// keep coming. Saves and the terminal keep working (ownership comes from the project cache);
// database-backed REST calls answer 503 database_unavailable with Retry-After within 2 s; once
// PostgreSQL resumes, they answer 200 again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDto, TerminalAttachDto } from '../contracts';
import { signalPostgres } from '../db/test-support';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

const OUTAGE_MS = 30_000;

let t: TestServer;
let alice: TestUser;
let tab: TestSocket;
let project: ProjectDto;
let frozenPid: number | undefined;

beforeAll(async () => {
  t = await startTestServer();
  alice = await createSignedInUser(t.baseUrl);
  project = (await (
    await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Outage', template: 'blank-node' },
    )
  ).json()) as ProjectDto;
  tab = await connectAs(t, alice);
  await openRunningWorkspace(tab, project.id);
}, 120_000);

afterAll(async () => {
  if (frozenPid) signalPostgres(frozenPid, 'SIGCONT');
  tab?.close();
  if (project)
    await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie }).catch(() => undefined);
  await t?.stop();
});

interface RestAnswer {
  status: number;
  ms: number;
  retryAfter: string | null;
  error?: string;
}

async function listProjects(): Promise<RestAnswer> {
  const began = performance.now();
  const response = await call(t.baseUrl, 'GET', '/api/v1/projects', { cookie: alice.cookie });
  const body = (await response.json()) as { error?: string };
  return {
    status: response.status,
    ms: performance.now() - began,
    retryAfter: response.headers.get('retry-after'),
    ...(body.error ? { error: body.error } : {}),
  };
}

describe('PostgreSQL hung for 30 s', () => {
  it('keeps saves and terminals working, and answers REST with 503 + Retry-After within 2 s', async () => {
    const terminal = await tab.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, cols: 80, rows: 24 });
    const out = tab.output(terminal.id);
    let version: string | null = null;
    const save = async (content: string) => {
      const ack = await tab.call<{ version: string }>('fs:write', {
        projectId: project.id,
        path: 'notes.txt',
        content,
        baseVersion: version,
      });
      if (ack.ok) version = ack.data.version;
      return ack;
    };
    expect((await save('before\n')).ok).toBe(true);
    expect((await listProjects()).status).toBe(200);

    const pid = t.server.database.postgresPid()!;
    signalPostgres(pid, 'SIGSTOP');
    frozenPid = pid;
    const began = Date.now();
    const saves: { ok: boolean; code?: string; ms?: number }[] = [];
    const answers: RestAnswer[] = [];
    const saving = (async () => {
      for (let n = 0; Date.now() - began < OUTAGE_MS; n++) {
        const sentAt = performance.now();
        const ack = await save(`save ${n}\n`);
        saves.push(ack.ok ? { ok: true, ms: performance.now() - sentAt } : { ok: false, code: ack.error.code });
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const asking = (async () => {
      while (Date.now() - began < OUTAGE_MS) {
        answers.push(await listProjects());
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    // The terminal answers too, and the saved file is what the workspace holds.
    await tab.ok('terminal:input', { terminalId: terminal.id, data: 'echo alive-$((40+2))\r' });
    await out.until(/alive-42/, 10_000);
    await Promise.all([saving, asking]);
    const ready = await fetch(`${t.baseUrl}/api/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
    // A socket event that needs the database (nothing cached to fall back on) gets a clear code.
    const unknown = await tab.call('project:open', { projectId: 'cnotcachedproject000000000' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'database_unavailable' } });
    const read = await tab.ok<{ content: string }>('fs:read', { projectId: project.id, path: 'notes.txt' });
    expect(read.content).toBe(`save ${saves.length - 1}\n`);

    signalPostgres(pid, 'SIGCONT');
    frozenPid = undefined;

    // Each save's and each call's time, in the message of a failure.
    const timings = `saves ${saves.map((save) => Math.round(save.ms ?? -1)).join(' ')}; calls ${answers.map((a) => `${a.status}:${Math.round(a.ms)}`).join(' ')}`;
    expect(saves.length, timings).toBeGreaterThan(50);
    expect(saves.filter((s) => !s.ok)).toEqual([]);
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 503, error: 'database_unavailable' });
      expect(answer.retryAfter).toMatch(/^\d+$/);
      expect(answer.ms, timings).toBeLessThan(2_000);
    }

    // Back: REST answers 200 again within a few seconds.
    const back = Date.now();
    while ((await listProjects()).status !== 200) {
      expect(Date.now() - back).toBeLessThan(10_000);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 120_000);
});
