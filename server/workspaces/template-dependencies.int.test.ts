// A new project from a template has its dependencies before the first prompt: typing
// `npm run dev` in the terminal works (it used to fail with "vite: not found" — only the
// preview's Run installed them). The workspace copies the template's prepared node_modules at
// its first start (berth-install --prepared-only, the image's CMD) and login shells wait for it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PreviewDto, ProjectDto, TerminalAttachDto } from '../contracts';
import { waitUntil } from '../runtime/runtime-test-helpers';
import { rawGet } from '../preview/test-helpers';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, plainText, type TestSocket } from '../test-support/socket-client';

let t: TestServer;
let alice: TestUser;
let project: ProjectDto;
let tab: TestSocket;

beforeAll(async () => {
  t = await startTestServer();
  alice = await createSignedInUser(t.baseUrl);
  tab = await connectAs(t, alice);
}, 120_000);

afterAll(async () => {
  tab?.close();
  if (project) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
  await t?.stop();
}, 60_000);

async function previewOf(port: number): Promise<PreviewDto | undefined> {
  const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/previews`, { cookie: alice.cookie });
  return response.status === 200
    ? ((await response.json()) as PreviewDto[]).find((preview) => preview.port === port)
    : undefined;
}

it('runs `npm run dev` typed at the first prompt of a new Vite + React project', async () => {
  project = (await (
    await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Vite first', template: 'vite-react' },
    )
  ).json()) as ProjectDto;
  await openRunningWorkspace(tab, project.id);
  const terminal = await tab.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, cols: 120, rows: 30 });
  const out = tab.output(terminal.id);
  // The first prompt may already be in the terminal's answer (its scrollback), or come after.
  // The login shell waits for the copy of the template's prepared node_modules (thousands of
  // files): with the other suites running beside it on 2 cores that took over 60 s in CI.
  if (!/\/workspace \$/.test(plainText(terminal.scrollback))) await out.until(/\/workspace \$/, 180_000);
  // How long a new project takes to its first prompt is a figure of bench/workspace-start.bench.ts.

  await tab.ok('terminal:input', { terminalId: terminal.id, data: 'npm run dev\r' });
  await out.until(/Local:|ready in|not found/, 60_000);
  expect(out.text()).not.toMatch(/not found/);
  await waitUntil(async () => (await previewOf(5173)) !== undefined, 30_000);
  const page = await rawGet(t.baseUrl, '/', { Host: new URL((await previewOf(5173))!.url).host });
  expect(page.status).toBe(200);
  expect(page.body).toMatch(/<script type="module" src="\/src\/main\.jsx">/);
}, 330_000);
